package ingest

// Readable reports whether ingest reads a file of this name: it is Known,
// and not one of the formats skipped with a hint on how to convert them.
func Readable(name string) bool {
	_, _, err, ok := formatOf(name)
	return ok && err == nil
}
