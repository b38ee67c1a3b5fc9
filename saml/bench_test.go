package saml

import (
	"bytes"
	"testing"

	"github.com/beevik/etree"
	xrv "github.com/mattermost/xml-roundtrip-validator"
)

// BenchmarkParseXML5KB compares ParseXML (caps and round-trip safety in one
// pass) with etree's plain reader, etree with ValidateInput (a second
// tokenisation) and etree plus mattermost/xml-roundtrip-validator (what
// gosaml2 does), on the same 5 KB signed-looking Response.
func BenchmarkParseXML5KB(b *testing.B) {
	in := []byte(response5KB(b))
	b.Run("eidkit", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseXML(in, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("etree", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("etree-validate", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			doc := etree.NewDocument()
			doc.ReadSettings.ValidateInput = true
			if err := doc.ReadFromBytes(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("etree+roundtrip-validator", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			if err := xrv.Validate(bytes.NewReader(in)); err != nil {
				b.Fatal(err)
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkParseResponse5KB is the speed target: safe parse plus message
// parse of a 5 KB signed-looking Response with 6 attributes, <= 200 us.
func BenchmarkParseResponse5KB(b *testing.B) {
	in := []byte(response5KB(b))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := ParseResponseBytes(in, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Assertions[0].AttributeStatements[0].Attributes) != 6 {
			b.Fatal("want 6 attributes")
		}
	}
}

// BenchmarkBuildResponse measures building and serialising a Response.
func BenchmarkBuildResponse(b *testing.B) {
	r := sampleResponse()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := etree.NewDocumentWithRoot(r.Element()).WriteToBytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestResponse5KBFixture(t *testing.T) {
	in := response5KB(t)
	if n := len(in); n < 4500 || n > 6500 {
		t.Fatalf("fixture is %d bytes, want about 5 KB", n)
	}
	r, err := ParseResponseBytes([]byte(in), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Assertions) != 1 || len(r.Assertions[0].AttributeStatements[0].Attributes) != 6 {
		t.Fatal("fixture must hold one assertion with 6 attributes")
	}
}
