"""The xml.etree package: ElementTree is xml.etree.ElementTree."""
