package loa

import (
	"errors"
	"testing"

	"github.com/beevik/etree"
)

// FuzzParseClassRef: any string either parses to a valid level whose emitted
// form parses back to the same level, or fails with a typed error.
func FuzzParseClassRef(f *testing.F) {
	for _, s := range []string{
		EIDASLow, EIDASSubstantial, EIDASHigh, EIDASNotNotifiedLow, EIDASLegacyNotNotifiedHigh,
		"STORK-QAA-Level-3", "http://www.stork.gov.eu/1.0/citizenQAALevel/4", "urn:hr:nias:loa:2",
		"http://eidas.europa.eu/LoA/medium", "HTTP://EIDAS.EUROPA.EU/LOA/HIGH", " \thttp://eidas.europa.eu/LoA/low\n", "",
	} {
		f.Add(s)
	}
	r, err := New(niasConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (Level, error){ParseClassRef, r.ParseClassRef} {
			l, err := parse(s)
			if err != nil {
				var ce *ClassRefError
				if !errors.As(err, &ce) || l != (Level{}) {
					t.Fatalf("untyped error or non-zero level for %q: %v", s, err)
				}
				if !errors.Is(err, ErrUnknownClassRef) && !errors.Is(err, ErrInvalidClassRef) && !errors.Is(err, ErrClassRefTooLong) {
					t.Fatalf("unexpected sentinel for %q: %v", s, err)
				}
				continue
			}
			if !l.Valid() {
				t.Fatalf("invalid level from %q", s)
			}
			out, err := l.ClassRef()
			if l.Scheme() == SchemeSTORK {
				out, err = l.STORKClassRef(STORKQAALevel)
			}
			if err != nil {
				t.Fatalf("cannot emit %s: %v", l, err)
			}
			back, err := parse(out)
			if err != nil || back != l {
				t.Fatalf("round trip %q -> %s -> %q -> %s, %v", s, l, out, back, err)
			}
		}
	})
}

// FuzzParseSTORKQAA: the extension parser never panics and only returns
// STORK levels 1 to 4.
func FuzzParseSTORKQAA(f *testing.F) {
	f.Add(`<stork:QualityAuthenticationAssuranceLevel xmlns:stork="urn:eu:stork:names:tc:STORK:1.0:assertion">3</stork:QualityAuthenticationAssuranceLevel>`)
	f.Add(`<QualityAuthenticationAssuranceLevel xmlns="urn:eu:stork:names:tc:STORK:1.0:assertion"> 1 <!--c--></QualityAuthenticationAssuranceLevel>`)
	f.Add(`<stork:QualityAuthenticationAssuranceLevel>9</stork:QualityAuthenticationAssuranceLevel>`)
	f.Add(`<e xmlns:s="urn:eu:stork:names:tc:STORK:1.0:assertion"><s:QualityAuthenticationAssuranceLevel>2</s:QualityAuthenticationAssuranceLevel></e>`)
	f.Fuzz(func(t *testing.T, s string) {
		el, ok := fuzzRoot(s)
		if !ok {
			return
		}
		l, err := ParseSTORKQAA(el)
		checkFuzzLevel(t, l, err, ErrInvalidExtension)
		if err == nil && l.Scheme() != SchemeSTORK {
			t.Fatalf("non-STORK level %s", l)
		}
		l, found, err := FindSTORKQAA(el)
		if found != (err == nil && l.Valid()) {
			t.Fatalf("FindSTORKQAA found=%v level=%s err=%v", found, l, err)
		}
	})
}

// FuzzParseNIASCondition: the condition parser never panics, returns values
// in range, and the Registry maps only configured values.
func FuzzParseNIASCondition(f *testing.F) {
	f.Add(niasXML(`<Condition xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`))
	f.Add(`<s:Condition xmlns:s="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:n="http://nias.eid.com.hr/2012/07/saml20Extension" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="n:NiasConditionType" MinAuthenticationSecurityLevel="3"/>`)
	f.Add(`<Condition xmlns="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="NiasConditionType" MinAuthenticationSecurityLevel="07"/>`)
	r, err := New(RegistryConfig{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		root, ok := fuzzRoot(s)
		if !ok {
			return
		}
		// Try the root and, as in an AuthnRequest, the last descendant.
		for _, el := range []*etree.Element{root, lastDescendant(root)} {
			n, err := ParseNIASCondition(el)
			if err != nil {
				if !errors.Is(err, ErrInvalidExtension) || n != 0 {
					t.Fatalf("bad error %v / %d", err, n)
				}
			} else if n < 1 || n > MaxNIASValue {
				t.Fatalf("value %d out of range", n)
			}
			l, err := r.ParseNIASCondition(el)
			checkFuzzLevel(t, l, err, ErrInvalidExtension, ErrUnknownNIASLevel)
			if err == nil && (l != STORK(n)) {
				t.Fatalf("value %d mapped to %s", n, l)
			}
			_, _, _ = r.FindNIASCondition(el)
		}
	})
}

func fuzzRoot(s string) (*etree.Element, bool) {
	if len(s) > 4096 {
		return nil, false
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(s); err != nil || doc.Root() == nil {
		return nil, false
	}
	return doc.Root(), true
}

func lastDescendant(el *etree.Element) *etree.Element {
	for {
		kids := el.ChildElements()
		if len(kids) == 0 {
			return el
		}
		el = kids[len(kids)-1]
	}
}

func checkFuzzLevel(t *testing.T, l Level, err error, sentinels ...error) {
	t.Helper()
	if err == nil {
		if !l.Valid() {
			t.Fatalf("nil error with invalid level")
		}
		return
	}
	if l != (Level{}) {
		t.Fatalf("error %v with level %s", err, l)
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("unexpected error %v", err)
}
