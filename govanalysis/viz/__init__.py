"""Figures: the house style, the plots, the one save function, and the tables they draw."""
