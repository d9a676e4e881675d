"""Input and output: reading a folder of reports into text, writing tables to a folder."""
