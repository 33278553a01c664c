"""The thin Panel layer: widgets wired to the atlas state and scene."""
