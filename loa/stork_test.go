package loa

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const storkNS = `xmlns:stork="urn:eu:stork:names:tc:STORK:1.0:assertion"`

// N8, spec-digest §3.1: the STORK QAA request extension.
func TestParseSTORKQAA(t *testing.T) {
	tests := []struct {
		name string
		xml  string
		want Level // zero = error
	}{
		{"qaa3", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>3</stork:QualityAuthenticationAssuranceLevel>`, STORK(3)},
		{"qaa1", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>1</stork:QualityAuthenticationAssuranceLevel>`, STORK(1)},
		{"whitespace", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>
			4 </stork:QualityAuthenticationAssuranceLevel>`, STORK(4)},
		{"other prefix", `<x:QualityAuthenticationAssuranceLevel xmlns:x="urn:eu:stork:names:tc:STORK:1.0:assertion">2</x:QualityAuthenticationAssuranceLevel>`, STORK(2)},
		{"default namespace", `<QualityAuthenticationAssuranceLevel xmlns="urn:eu:stork:names:tc:STORK:1.0:assertion">2</QualityAuthenticationAssuranceLevel>`, STORK(2)},
		{"comment split", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `><!-- x -->3</stork:QualityAuthenticationAssuranceLevel>`, STORK(3)},
		{"inherited prefix", `<p ` + storkNS + `><stork:QualityAuthenticationAssuranceLevel>2</stork:QualityAuthenticationAssuranceLevel></p>`, STORK(2)},
		{"zero", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>0</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"five", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>5</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"empty", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `/>`, Level{}},
		{"two digits", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>33</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"sign", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>+3</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"split by comment", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>1<!---->2</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"child element", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>3<b/></stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"long text", `<stork:QualityAuthenticationAssuranceLevel ` + storkNS + `>` + strings.Repeat(" ", maxExtensionText) + `3</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"wrong namespace", `<stork:QualityAuthenticationAssuranceLevel xmlns:stork="urn:evil">3</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"undeclared prefix", `<stork:QualityAuthenticationAssuranceLevel>3</stork:QualityAuthenticationAssuranceLevel>`, Level{}},
		{"wrong name", `<stork:QAALevel ` + storkNS + `>3</stork:QAALevel>`, Level{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			el := parseXML(t, tt.xml)
			if el.Tag == "p" {
				el = el.ChildElements()[0]
			}
			got, err := ParseSTORKQAA(el)
			if !tt.want.Valid() {
				require.ErrorIs(t, err, ErrInvalidExtension)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	_, err := ParseSTORKQAA(nil)
	require.ErrorIs(t, err, ErrInvalidExtension)
}

// Every STORK level round-trips through the extension element.
func TestSTORKQAARoundTrip(t *testing.T) {
	for q := 1; q <= 4; q++ {
		el, err := NewSTORKQAA(STORK(q))
		require.NoError(t, err)
		back := parseXML(t, serialize(t, el))
		got, err := ParseSTORKQAA(back)
		require.NoError(t, err)
		require.Equal(t, STORK(q), got)
	}
	el, err := NewSTORKQAA(STORK(3))
	require.NoError(t, err)
	require.Equal(t, `<stork:QualityAuthenticationAssuranceLevel xmlns:stork="urn:eu:stork:names:tc:STORK:1.0:assertion">3</stork:QualityAuthenticationAssuranceLevel>`,
		serialize(t, el))

	_, err = NewSTORKQAA(Notified(High))
	require.ErrorIs(t, err, ErrNotExpressible)
	_, err = NewSTORKQAA(Level{})
	require.ErrorIs(t, err, ErrInvalidLevel)
}

func TestFindSTORKQAA(t *testing.T) {
	const ext = `<samlp:Extensions xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` + storkNS + `>`
	l, ok, err := FindSTORKQAA(parseXML(t, ext+`<stork:spSector>x</stork:spSector><stork:QualityAuthenticationAssuranceLevel>4</stork:QualityAuthenticationAssuranceLevel></samlp:Extensions>`))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, STORK(4), l)

	_, ok, err = FindSTORKQAA(parseXML(t, ext+`<stork:spSector>x</stork:spSector></samlp:Extensions>`))
	require.NoError(t, err)
	require.False(t, ok)

	_, ok, err = FindSTORKQAA(parseXML(t, ext+`<stork:QualityAuthenticationAssuranceLevel>4</stork:QualityAuthenticationAssuranceLevel><stork:QualityAuthenticationAssuranceLevel>1</stork:QualityAuthenticationAssuranceLevel></samlp:Extensions>`))
	require.ErrorIs(t, err, ErrInvalidExtension)
	require.False(t, ok)

	_, ok, err = FindSTORKQAA(parseXML(t, ext+`<stork:QualityAuthenticationAssuranceLevel>9</stork:QualityAuthenticationAssuranceLevel></samlp:Extensions>`))
	require.ErrorIs(t, err, ErrInvalidExtension)
	require.False(t, ok)

	_, ok, err = FindSTORKQAA(nil)
	require.NoError(t, err)
	require.False(t, ok)
}
