"""Platform packages: one per platform key, each with client, normalize, service and views."""
