"""Post-processing: VTK multiblocks, PyVista renders, plots and the sizing report.
Imports the layers below (solve, model, physics, satellite); imported by studies and commands."""
