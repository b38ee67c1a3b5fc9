package saml

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
)

// seedGolden adds every golden file under testdata/ to the corpus.
func seedGolden(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "Test*", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// hostileSeeds are inputs from each attack class of TestParseXMLRefuses.
var hostileSeeds = []string{
	`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`,
	`<Root><! <<!-- -->!-- x --> y></Root>`,
	`<Root><x::Element></::Element></Root>`,
	`<Root xmlns="x" xmlns:="y"></Root>`,
	`<Root xmlns:p="u" xmlns:q="u" p:a="1" q:a="2"/>`,
	`<a>admin<!---->@x<![CDATA[y]]></a>`,
}

// FuzzParseXML: ParseXML never panics, and whatever it accepts survives a
// write/parse round trip unchanged (the property CVE-2020-29509/29510/29511
// broke).
func FuzzParseXML(f *testing.F) {
	seedGolden(f)
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseXML(data, Limits{MaxBytes: 64 << 10})
		if err != nil {
			return
		}
		once, err := doc.WriteToBytes()
		if err != nil {
			t.Fatalf("write accepted document: %v", err)
		}
		doc2, err := ParseXML(once, Limits{MaxBytes: 128 << 10})
		if err != nil {
			t.Fatalf("re-parse of accepted document failed: %v\n%s", err, once)
		}
		twice, err := doc2.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		if string(once) != string(twice) {
			t.Fatalf("round trip changed the document:\n%s\n%s", once, twice)
		}
	})
}

// reparse checks that what a parser accepted rebuilds into a message the
// same parser accepts, and that building is then stable: parse(build(m))
// builds to the same bytes as m.
func reparse[M interface{ Element() *etree.Element }](t *testing.T, m M, parse func([]byte, Limits) (M, error)) {
	once := canonicalBytes(t, m.Element())
	m2, err := parse(once, Limits{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatalf("rebuilt message does not parse: %v\n%s", err, once)
	}
	if twice := canonicalBytes(t, m2.Element()); string(once) != string(twice) {
		t.Fatalf("rebuilding is not stable:\n%s\n%s", once, twice)
	}
}

// canonicalBytes writes el with CR, TAB and LF escaped where XML would
// otherwise normalise them.
func canonicalBytes(t *testing.T, el *etree.Element) []byte {
	doc := etree.NewDocumentWithRoot(el)
	doc.WriteSettings.CanonicalText = true
	doc.WriteSettings.CanonicalAttrVal = true
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzParseResponse(f *testing.F) {
	seedGolden(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseResponseBytes(data, Limits{MaxBytes: 64 << 10})
		if err != nil {
			return
		}
		_ = r.Err()
		reparse(t, r, ParseResponseBytes)
	})
}

func FuzzParseAuthnRequest(f *testing.F) {
	seedGolden(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseAuthnRequestBytes(data, Limits{MaxBytes: 64 << 10})
		if err != nil {
			return
		}
		reparse(t, r, ParseAuthnRequestBytes)
	})
}

func FuzzParseLogoutRequest(f *testing.F) {
	seedGolden(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseLogoutRequestBytes(data, Limits{MaxBytes: 64 << 10})
		if err != nil {
			return
		}
		n := 0
		for _, set := range []bool{r.NameID != nil, r.EncryptedID != nil, r.BaseID != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("accepted %d identifiers, want exactly 1", n)
		}
		reparse(t, r, ParseLogoutRequestBytes)
	})
}

func FuzzParseLogoutResponse(f *testing.F) {
	seedGolden(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseLogoutResponseBytes(data, Limits{MaxBytes: 64 << 10})
		if err != nil {
			return
		}
		reparse(t, r, ParseLogoutResponseBytes)
	})
}

func FuzzParseAssertion(f *testing.F) {
	f.Add(sampleAssertionBytes(f))
	f.Add([]byte(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_as" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"><saml:Issuer>i<!---->dp</saml:Issuer><saml:Subject><saml:EncryptedID><x/></saml:EncryptedID></saml:Subject><saml:Advice/></saml:Assertion>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAssertionBytes(data, Limits{MaxBytes: 64 << 10})
		if err != nil {
			return
		}
		reparse(t, a, ParseAssertionBytes)
	})
}

func sampleAssertionBytes(tb testing.TB) []byte {
	b, err := etree.NewDocumentWithRoot(sampleAssertion().Element()).WriteToBytes()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
