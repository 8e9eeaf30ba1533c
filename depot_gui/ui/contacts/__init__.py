"""Choose Xero contact… and File › Xero contacts…"""
