package ingest

import "encoding/xml"

// attr returns the value of the attribute of e whose local name is name
// (any namespace), "" without one. Word and OFD XML both use it.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
