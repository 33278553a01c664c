"""Meshes in and out, landmarks, surface queries, zone resolution and lookup."""
