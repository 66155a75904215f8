"""Physics models: orbital environment, materials, coatings, fluids, photovoltaics."""
