"""What the 3D view shows: the scene description, cameras, palette, browser packing, rendering."""
