package main

import (
	"net/url"

	"github.com/beevik/etree"
)

func etreeDocument(root *etree.Element) *etree.Document {
	doc := etree.NewDocument()
	doc.SetRoot(root)
	return doc
}

// rawQuery returns the query string of u exactly as it would arrive at the
// IdP, for binding.DecodeRedirectQuery.
func rawQuery(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return parsed.RawQuery
}
