"""Data sources: database ones under /api/data_sources, Hadoop ones under /api/hdfs_data_sources (own id sequences)."""
from __future__ import annotations

from typing import Any

from sandbox.common.locking import locked
from sandbox.teamstudio.base import BackendBase
from sandbox.teamstudio.errors import not_found
from sandbox.teamstudio.paging import paginate
from sandbox.teamstudio.serialize import data_source_json, database_json
from sandbox.teamstudio.world import DataSource


class SourcesMixin(BackendBase):
    """Listing and reading data sources and their databases (every signed-in user may)."""

    def _sources(self, hadoop: bool) -> dict[int, DataSource]:
        return self.world.hdfs_sources if hadoop else self.world.data_sources

    def _source_or_404(self, hadoop: bool, source_id: int) -> DataSource:
        source = self._sources(hadoop).get(source_id)
        if source is None:
            raise not_found("Hadoop data source" if hadoop else "Data source", source_id)
        return source

    @locked
    def list_data_sources(self, hadoop: bool, page: int, per_page: int) -> dict[str, Any]:
        """One page of database (or Hadoop) data sources by id."""
        return paginate(list(self._sources(hadoop).values()), page, per_page,
                        lambda s: data_source_json(self.world, s))

    @locked
    def get_data_source(self, hadoop: bool, source_id: int) -> dict[str, Any]:
        """One data source, complete."""
        return {"response": data_source_json(self.world, self._source_or_404(hadoop, source_id), complete=True)}

    @locked
    def list_databases(self, source_id: int, page: int, per_page: int) -> dict[str, Any]:
        """The databases of a database data source (an empty list for JDBC and Oracle sources)."""
        source = self._source_or_404(False, source_id)
        return paginate(source.databases, page, per_page, lambda d: database_json(source, d))
