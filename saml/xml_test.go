package saml

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

// TestParseXMLRefuses covers each class of hostile input (landscape.md:
// DOCTYPE/XXE/billion laughs, Go encoding/xml round-trip inputs
// CVE-2020-29509/29510/29511 as reproduced by mattermost/xml-roundtrip-validator,
// namespace well-formedness, duplicate attributes).
func TestParseXMLRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		// Directives (CVE-2020-29510 and XXE / entity expansion).
		{"doctype", `<!DOCTYPE Response><Response/>`, ErrDoctype},
		{"xxe", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, ErrDoctype},
		{"billion laughs", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>`, ErrDoctype},
		{"directive inside root", `<Root><!ENTITY x "y"></Root>`, ErrDoctype},
		{"CVE-2020-29510 comment in directive", `<Root><! <<!-- -->!-- x --> y></Root>`, ErrDoctype},
		{"CVE-2020-29510 quoted gt", `<Root><! ">" <X/>></Root>`, ErrDoctype},
		{"CVE-2020-29510 nested", `<Root><!name <!-- comment --><nesting <more nesting>>></Root>`, ErrDoctype},
		// Element names (CVE-2020-29511).
		{"CVE-2020-29511 double colon root", `<x::Root/>`, ErrMalformed},
		{"CVE-2020-29511 double colon child", `<Root><x::Element></::Element></Root>`, ErrMalformed},
		{"CVE-2020-29511 double colon end", `<Root></x::Element></Root>`, ErrMalformed},
		{"CVE-2020-29511 empty local", `<x:>`, ErrMalformed},
		{"CVE-2020-29511 empty local end", `<Root></x:></Root>`, ErrMalformed},
		{"empty prefix element", `<:Root/>`, ErrMalformed},
		{"xmlns prefix on element", `<xmlns:Root/>`, ErrMalformed},
		{"element named xmlns", `<xmlns/>`, ErrMalformed},
		// Attribute names (CVE-2020-29509).
		{"CVE-2020-29509 double colon attr", `<Root><Element ::attr="foo"></Element></Root>`, ErrMalformed},
		{"CVE-2020-29509 colon attr", `<Root :="value"/>`, ErrMalformed},
		{"CVE-2020-29509 empty local attr", `<Root x:="value"/>`, ErrMalformed},
		{"CVE-2020-29509 empty xmlns local", `<Root xmlns="x" xmlns:="y"></Root>`, ErrMalformed},
		{"empty prefix attr", `<Root :a="v"/>`, ErrMalformed},
		// Namespace well-formedness.
		{"undeclared element prefix", `<x:Root/>`, ErrMalformed},
		{"undeclared attr prefix", `<Root x:a="v"/>`, ErrMalformed},
		{"prefix out of scope", `<Root><a xmlns:p="u"/><p:b/></Root>`, ErrMalformed},
		{"declare xmlns", `<Root xmlns:xmlns="http://www.w3.org/2000/xmlns/"/>`, ErrMalformed},
		{"rebind xml", `<Root xmlns:xml="urn:other"/>`, ErrMalformed},
		{"bind xml namespace elsewhere", `<Root xmlns:x="http://www.w3.org/XML/1998/namespace"/>`, ErrMalformed},
		{"default to xmlns namespace", `<Root xmlns="http://www.w3.org/2000/xmlns/"/>`, ErrMalformed},
		{"undeclare prefix", `<Root xmlns:p="u"><a xmlns:p=""/></Root>`, ErrMalformed},
		// Duplicate attributes: a parser differential if one copy is dropped.
		{"duplicate attr", `<Root ID="a" ID="b"/>`, ErrMalformed},
		{"duplicate xmlns", `<Root xmlns="a" xmlns="b"/>`, ErrMalformed},
		{"duplicate by namespace", `<Root xmlns:p="u" xmlns:q="u" p:a="1" q:a="2"/>`, ErrMalformed},
		// Processing instructions and encodings.
		{"processing instruction", `<Root><?evil data?></Root>`, ErrMalformed},
		{"late xml declaration", `<!-- c --><?xml version="1.0"?><Root/>`, ErrMalformed},
		{"non-utf8 encoding", `<?xml version="1.0" encoding="ISO-8859-1"?><Root/>`, ErrMalformed},
		{"xml version 1.1", `<?xml version="1.1"?><Root/>`, ErrMalformed},
		// Plain malformation.
		{"empty", ``, ErrMalformed},
		{"only whitespace", " \n", ErrMalformed},
		{"unclosed", `<Root><a>`, ErrMalformed},
		{"mismatched", `<Root><a></b></Root>`, ErrMalformed},
		{"mismatched prefix", `<p:Root xmlns:p="u" xmlns:q="u"></q:Root>`, ErrMalformed},
		{"two roots", `<a/><b/>`, ErrMalformed},
		{"text after root", `<a/>junk`, ErrMalformed},
		{"text before root", `junk<a/>`, ErrMalformed},
		{"stray end", `</a>`, ErrMalformed},
		{"unknown entity", `<a>&nbsp;</a>`, ErrMalformed},
		{"bad char ref", `<a>&#0;</a>`, ErrMalformed},
		{"bad utf8", "<a>\xff\xfe</a>", ErrMalformed},
		{"lt in attr", `<a b="<"/>`, ErrMalformed},
		{"unterminated cdata", `<a><![CDATA[x</a>`, ErrMalformed},
		{"unterminated comment", `<a><!--`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseXML([]byte(tt.in), Limits{})
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, doc)
			require.True(t, strings.HasPrefix(err.Error(), "saml: ") || strings.Contains(err.Error(), "saml: "), err.Error())
		})
	}
}

func TestParseXMLAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		out  string // serialisation by etree; "" means same as in
	}{
		{"minimal", `<Root/>`, ""},
		{"declaration", `<?xml version="1.0" encoding="UTF-8"?><Root/>`, ""},
		{"bom", "\xEF\xBB\xBF<Root/>", `<Root/>`},
		{"prefixed", `<x:Root xmlns:x="urn:x" x:a="1" b="2"><x:c/></x:Root>`, ""},
		{"default namespace", `<Root xmlns="urn:x"><c/></Root>`, ""},
		{"xml prefix", `<Root xml:lang="hr"/>`, ""},
		{"xml prefix declared properly", `<Root xmlns:xml="http://www.w3.org/XML/1998/namespace"/>`, ""},
		{"redeclared prefix", `<x:Root xmlns:x="urn:x"><x:c xmlns:x="urn:x"/></x:Root>`, ""},
		{"same local different ns", `<Root xmlns:p="u" xmlns:q="v" p:a="1" q:a="2"/>`, ""},
		{"comments kept", `<!--c1--><Root><!--c2--></Root>`, ""},
		{"cdata as text", `<Root><![CDATA[a<b]]></Root>`, `<Root>a&lt;b</Root>`},
		{"char refs", `<Root>&#x41;&amp;&lt;&quot;</Root>`, `<Root>A&amp;&lt;"</Root>`},
		{"whitespace around root", " \n<Root/>\n ", ""},
		{"gt in text", `<Root>]]</Root>`, ""},
		{"char ref CR in text", `<Root>&#13;x</Root>`, `<Root>&#xD;x</Root>`},
		{"char ref whitespace in attr", `<Root b="&#13;&#10;&#9;x"/>`, `<Root b="&#xD;&#xA;&#x9;x"/>`},
		{"literal CRLF normalised", "<Root>a\r\nb</Root>", "<Root>a\nb</Root>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseXML([]byte(tt.in), Limits{})
			require.NoError(t, err)
			got, err := doc.WriteToString()
			require.NoError(t, err)
			want := tt.out
			if want == "" {
				want = tt.in
			}
			require.Equal(t, want, got)
			// A second pass over our own output is stable.
			doc2, err := ParseXML([]byte(got), Limits{})
			require.NoError(t, err)
			got2, err := doc2.WriteToString()
			require.NoError(t, err)
			require.Equal(t, got, got2)
		})
	}
}

func TestParseXMLLimits(t *testing.T) {
	deep := strings.Repeat("<a>", 10) + strings.Repeat("</a>", 10)
	wide := "<a " + strings.Repeat("x", 0)
	for i := range 5 {
		wide += " a" + string(rune('0'+i)) + `="v"`
	}
	wide += "/>"
	many := "<r>" + strings.Repeat("<a/>", 9) + "</r>" // 10 elements
	tests := []struct {
		name  string
		in    string
		lim   Limits
		limit string
		max   int
	}{
		{"bytes", `<Root/>`, Limits{MaxBytes: 6}, "MaxBytes", 6},
		{"depth", deep, Limits{MaxDepth: 9}, "MaxDepth", 9},
		{"attributes", wide, Limits{MaxAttributes: 4}, "MaxAttributes", 4},
		{"elements", many, Limits{MaxElements: 9}, "MaxElements", 9},
		{"default bytes", "<a>" + strings.Repeat(" ", DefaultMaxBytes) + "</a>", Limits{}, "MaxBytes", DefaultMaxBytes},
		{"default depth", strings.Repeat("<a>", DefaultMaxDepth+1), Limits{}, "MaxDepth", DefaultMaxDepth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseXML([]byte(tt.in), tt.lim)
			require.ErrorIs(t, err, ErrLimit)
			var le *LimitError
			require.ErrorAs(t, err, &le)
			require.Equal(t, tt.limit, le.Limit)
			require.Equal(t, tt.max, le.Max)
			require.Contains(t, le.Error(), tt.limit)
		})
	}
	// Exactly at each limit is fine.
	for _, ok := range []struct {
		in  string
		lim Limits
	}{
		{`<Root/>`, Limits{MaxBytes: 7}},
		{deep, Limits{MaxDepth: 10}},
		{wide, Limits{MaxAttributes: 5}},
		{many, Limits{MaxElements: 10}},
	} {
		_, err := ParseXML([]byte(ok.in), ok.lim)
		require.NoError(t, err, ok.in)
	}
}

func TestLimitsValidate(t *testing.T) {
	require.NoError(t, Limits{}.Validate())
	err := Limits{MaxBytes: -1, MaxDepth: -2, MaxAttributes: 3, MaxElements: -4}.Validate()
	require.ErrorIs(t, err, ErrInvalidLimits)
	for _, f := range []string{"MaxBytes", "MaxDepth", "MaxElements"} {
		require.Contains(t, err.Error(), f)
	}
	require.NotContains(t, err.Error(), "MaxAttributes")
	_, err = ParseXML([]byte(`<a/>`), Limits{MaxDepth: -1})
	require.ErrorIs(t, err, ErrInvalidLimits)
}

// TestParseXMLMatchesEtree checks that on benign input the tree is the one
// etree's own reader builds, so other packages see no difference.
func TestParseXMLMatchesEtree(t *testing.T) {
	in := serialize(t, mustElement(t, response5KB(t)))
	ours, err := ParseXML(in, Limits{})
	require.NoError(t, err)
	theirs := etree.NewDocument()
	require.NoError(t, theirs.ReadFromBytes(in))
	a, err := ours.WriteToString()
	require.NoError(t, err)
	b, err := theirs.WriteToString()
	require.NoError(t, err)
	require.Equal(t, b, a)
	// Whitespace text nodes carry etree's whitespace flag, as etree sets it.
	var ws, theirWS int
	countWS(ours.Root(), &ws)
	countWS(theirs.Root(), &theirWS)
	require.Equal(t, theirWS, ws)
	require.Positive(t, ws)
}

func countWS(el *etree.Element, n *int) {
	for _, c := range el.Child {
		switch c := c.(type) {
		case *etree.CharData:
			if c.IsWhitespace() {
				*n++
			}
		case *etree.Element:
			countWS(c, n)
		}
	}
}

func TestParseXMLSyntaxErrorUnwraps(t *testing.T) {
	_, err := ParseXML([]byte("<a>\n<b></a>"), Limits{})
	require.ErrorIs(t, err, ErrMalformed)
	_, err = ParseXML([]byte("<a>\n<b"), Limits{})
	var se *xml.SyntaxError
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, 2, se.Line)
}
