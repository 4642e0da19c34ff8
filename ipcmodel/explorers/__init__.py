"""The explorers: one module per topic, on one framework (:mod:`ipcmodel.explorers.core`)."""
