package saml

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetachedCopy(t *testing.T) {
	doc, err := ParseXML([]byte(`<r xmlns="urn:default" xmlns:a="urn:a" xmlns:b="urn:b" xmlns:q="urn:q" xmlns:unused="urn:u">`+
		`<a:x b:attr="1"><y type="q:T"/></a:x></r>`), Limits{})
	require.NoError(t, err)
	x := doc.Root().SelectElement("a:x")
	c := detachedCopy(x)
	require.Nil(t, c.Parent())
	got := string(compact(t, c))
	require.Contains(t, got, `xmlns:a="urn:a"`)
	require.Contains(t, got, `xmlns:b="urn:b"`)
	require.Contains(t, got, `xmlns:q="urn:q"`, "prefix used in a QName value")
	require.Contains(t, got, `xmlns="urn:default"`, "unprefixed child in the default namespace")
	require.NotContains(t, got, "unused")
	// The copy parses on its own and keeps its namespaces.
	c2 := mustElement(t, got)
	require.Equal(t, "urn:a", c2.NamespaceURI())
	require.Equal(t, "urn:default", c2.SelectElement("y").NamespaceURI())
	// The original is untouched.
	require.Equal(t, doc.Root(), x.Parent())
}

func TestCheckUniqueIDs(t *testing.T) {
	tests := []struct {
		in  string
		dup bool
	}{
		{`<r ID="a"><x ID="b"/><y Id="c"/><z id="d"/></r>`, false},
		{`<r ID="a"><x ID="a"/></r>`, true},
		{`<r ID="a"><x Id="a"/></r>`, true},
		{`<r ID="a"><x id="a"/></r>`, true},
		{`<r ID="a"><x xml:id="a"/></r>`, true},
		{`<r ID=""><x ID=""/></r>`, false},
		{`<r xmlns:p="u" ID="a"><x p:ID="a"/></r>`, false},
	}
	for _, tt := range tests {
		doc, err := ParseXML([]byte(tt.in), Limits{})
		require.NoError(t, err)
		// Checking from any element covers the whole document.
		leaf := doc.Root().ChildElements()[0]
		err = CheckUniqueIDs(leaf)
		if tt.dup {
			require.ErrorIs(t, err, ErrDuplicateID, tt.in)
		} else {
			require.NoError(t, err, tt.in)
		}
	}
}

// TestParseBytesHonoursLimits: every ParseXxxBytes passes its limits to
// ParseXML.
func TestParseBytesHonoursLimits(t *testing.T) {
	lim := Limits{MaxBytes: 100}
	big := make([]byte, 101)
	for name, parse := range map[string]func([]byte, Limits) error{
		"AuthnRequest":   func(b []byte, l Limits) error { _, err := ParseAuthnRequestBytes(b, l); return err },
		"Response":       func(b []byte, l Limits) error { _, err := ParseResponseBytes(b, l); return err },
		"Assertion":      func(b []byte, l Limits) error { _, err := ParseAssertionBytes(b, l); return err },
		"LogoutRequest":  func(b []byte, l Limits) error { _, err := ParseLogoutRequestBytes(b, l); return err },
		"LogoutResponse": func(b []byte, l Limits) error { _, err := ParseLogoutResponseBytes(b, l); return err },
	} {
		require.ErrorIs(t, parse(big, lim), ErrLimit, name)
	}
}
