"""Evidence documents: files a supplier attaches to its application, stored by their SHA-256 digest, the
digest recorded in the audit event that attaches them, readable by whoever may read the application."""
