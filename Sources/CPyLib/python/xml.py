"""The xml package: mpsh has its subpackage xml.etree (ElementTree)."""
