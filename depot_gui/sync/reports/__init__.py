"""Reports for the accountant: month-end data, CSV, PDF inputs."""
