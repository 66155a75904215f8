"""Terms of the global system (conduction, capacity, loads, radiation to a sink, surface
exchange, links, advection): each adds its residual and Jacobian. Imports common, mesh,
fem and radiation."""
