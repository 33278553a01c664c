// The vtk.js classes the atlas's viewers use (anatomy/ui/viewer*.js, anatomy/export/static/
// page_viewer.js), exposed as window.myoatlasVtk with vtk.js's own namespace layout. Only the
// WebGL (OpenGL) implementations of the rendering classes are registered.
import '@kitware/vtk.js/Rendering/OpenGL/Camera.js';
import '@kitware/vtk.js/Rendering/OpenGL/Renderer.js';
import '@kitware/vtk.js/Rendering/OpenGL/Actor.js';
import '@kitware/vtk.js/Rendering/OpenGL/PolyDataMapper.js';
import vtkGenericRenderWindow from '@kitware/vtk.js/Rendering/Misc/GenericRenderWindow.js';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor.js';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper.js';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer.js';
import vtkCellPicker from '@kitware/vtk.js/Rendering/Core/CellPicker.js';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData.js';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray.js';
import vtkCellArray from '@kitware/vtk.js/Common/Core/CellArray.js';
import vtkPoints from '@kitware/vtk.js/Common/Core/Points.js';
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource.js';
import macro from '@kitware/vtk.js/macros.js';

window.myoatlasVtk = {
  macro,
  Common: {Core: {vtkDataArray, vtkCellArray, vtkPoints}, DataModel: {vtkPolyData}},
  Filters: {Sources: {vtkSphereSource}},
  Rendering: {Core: {vtkActor, vtkMapper, vtkRenderer, vtkCellPicker}, Misc: {vtkGenericRenderWindow}},
};
