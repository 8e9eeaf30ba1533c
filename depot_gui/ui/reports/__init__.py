"""File › Export… and File › Month-end report (PDF)…"""
