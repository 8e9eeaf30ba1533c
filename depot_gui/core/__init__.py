"""Pure domain logic: money, Xero maths, mapping, audit, diagnosis. No Qt, no I/O."""
