"""File › Xero organisations…: which Xero organisation each Autotask company's invoices go to."""
