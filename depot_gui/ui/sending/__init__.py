"""Send from Xero… in the window: the question naming each invoice's recipients, then the send."""
