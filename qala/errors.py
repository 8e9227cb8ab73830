"""Errors Qala raises. Each message says what was expected and what was found.

    QalaError
    ├── InvalidInput        a file or string that cannot be read as a document
    │   ├── EmptyDocument   nothing but whitespace
    │   ├── BinaryInput     bytes that are not text
    │   └── TooLarge        over the configured size limit
    ├── ConfigError         a setting that is missing or unsafe
    ├── StoreError          the database cannot be reached or refused a write
    └── NotFound            a requested record does not exist
"""


class QalaError(Exception):
    """Base class: the CLI prints str(error) on one line and exits 1."""

    status = 400


class InvalidInput(QalaError):
    status = 422


class EmptyDocument(InvalidInput):
    pass


class BinaryInput(InvalidInput):
    pass


class TooLarge(InvalidInput):
    status = 413


class ConfigError(QalaError):
    status = 500


class StoreError(QalaError):
    status = 503


class NotFound(QalaError):
    status = 404
