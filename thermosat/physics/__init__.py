"""Physics components of a satellite, each on its own: orbit and environment, panel, coolant
loop, fluids, correlations, chip package, photovoltaics, presets. Imports common, mesh,
fem, terms, radiation and solve; never satellite, case, studies or post."""
