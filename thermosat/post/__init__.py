"""Post-processing: results objects, VTK output, PyVista renders, plots and reports."""
