"""The loaded atlas (content plus meshes) and the checks across them."""
