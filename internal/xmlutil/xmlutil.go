package xmlutil

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// NSXML is the namespace bound to the "xml" prefix without a declaration
// (Namespaces in XML 1.0 §3).
const NSXML = "http://www.w3.org/XML/1998/namespace"

// LookupNamespace returns the namespace URI bound to prefix ("" for the
// default namespace) in scope at el, looking at el's own declarations first
// and then its ancestors'. The predeclared "xml" prefix resolves to [NSXML].
// It returns "" when nothing binds prefix (or el is nil).
func LookupNamespace(el *etree.Element, prefix string) string {
	if prefix == "xml" {
		return NSXML
	}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") ||
				(prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
				return a.Value
			}
		}
	}
	return ""
}

// bom is the UTF-8 byte order mark.
const bom = "\xEF\xBB\xBF"

// StripDeclaration drops a leading UTF-8 byte order mark, then a leading XML
// declaration ("<?xml" followed by white space, up to "?>") and the white
// space after it, so that the rest can be embedded inside another element.
// A processing instruction whose target merely starts with "xml" (such as
// "<?xml-stylesheet ...?>") is kept, and so is an unterminated declaration,
// which the XML parser then refuses. The result shares data's memory.
func StripDeclaration(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte(bom))
	const open = "<?xml"
	if len(data) <= len(open) || !bytes.HasPrefix(data, []byte(open)) || !isSpace(data[len(open)]) {
		return data
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return data
	}
	return bytes.TrimLeft(data[end+2:], " \t\r\n")
}

// isSpace reports whether c is XML white space (XML 1.0 §2.3, production S).
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// DecodeBase64 decodes standard padded base64 text in which XML white space
// may appear anywhere (line-wrapped values are common in SAML), refusing
// values that decode to more than limit bytes before decoding them, so that
// the cap also bounds the allocation. It returns a *[LimitError] (matching
// [ErrTooLarge]) when over limit, and an error matching [ErrBase64] when the
// text is not base64. A limit below zero is treated as zero.
func DecodeBase64(text string, limit int64) ([]byte, error) {
	limit = max(limit, 0)
	compact := text
	if strings.ContainsAny(text, " \t\r\n") {
		compact = strings.Map(func(r rune) rune {
			if r < 0x80 && isSpace(byte(r)) {
				return -1
			}
			return r
		}, text)
	}
	// DecodedLen ignores padding, so it may exceed the true length by 2.
	if int64(base64.StdEncoding.DecodedLen(len(compact))) > limit+2 {
		return nil, &LimitError{Max: limit}
	}
	out, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBase64, err)
	}
	if int64(len(out)) > limit {
		return nil, &LimitError{Max: limit}
	}
	return out, nil
}
