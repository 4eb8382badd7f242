"""The resources of the HTTP API, one router each; every route declares its permission (see ``auth.guard``)."""
