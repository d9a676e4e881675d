"""Text models: tokens, topics, theme lexicons and comparisons."""
