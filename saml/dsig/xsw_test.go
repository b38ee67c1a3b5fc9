package dsig

import (
	"crypto/x509"
	"errors"
	"testing"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

const responseOpen = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp" Version="2.0" IssueInstant="2026-11-22T03:00:00Z" Destination="https://sp.example.hr/acs"><saml:Issuer>https://nias.example.hr/idp</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`

// signedResponse returns a Response signed at Response level (assertion
// unsigned), or with only its Assertion signed.
func signedResponse(t *testing.T, kp *samltest.KeyPair, signAssertion bool) *etree.Element {
	t.Helper()
	root := parse(t, responseOpen+assertionXML("_a1", 1200)+`</samlp:Response>`)
	s := &Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
	target := root
	if signAssertion {
		target = root.FindElement("./Assertion")
	}
	require.NoError(t, s.Sign(target))
	return reparse(t, root)
}

func evilAssertion(orig *etree.Element, keepID bool) *etree.Element {
	evil := orig.Copy()
	if sig := evil.FindElement("./Signature"); sig != nil {
		evil.RemoveChild(sig)
	}
	evil.FindElement("./Subject/NameID").SetText("attacker")
	if !keepID {
		evil.CreateAttr("ID", "_evil")
	}
	return evil
}

// TestXSW covers the eight XML Signature Wrapping attacks of Somorovsky et
// al. ("On Breaking SAML", 2012; landscape.md attack classes). Each builds
// the attacked document and verifies the element a SAML consumer would
// then read (the Response, or its first Assertion): every one must fail.
func TestXSW(t *testing.T) {
	kp := key(t, samltest.P256)
	tests := []struct {
		name   string
		signed bool // assertion-signed (true) or response-signed
		attack func(root *etree.Element) *etree.Element
	}{
		{"XSW1 response copy inside Signature", false, func(root *etree.Element) *etree.Element {
			orig := root.Copy()
			sig := root.FindElement("./Signature")
			origNoSig := orig.Copy()
			origNoSig.RemoveChild(origNoSig.FindElement("./Signature"))
			sig.AddChild(origNoSig)
			root.CreateAttr("ID", "_evil")
			root.FindElement("./Assertion/Subject/NameID").SetText("attacker")
			return root
		}},
		{"XSW2 response copy before Signature", false, func(root *etree.Element) *etree.Element {
			origNoSig := root.Copy()
			origNoSig.RemoveChild(origNoSig.FindElement("./Signature"))
			sig := root.FindElement("./Signature")
			root.InsertChildAt(sig.Index(), origNoSig)
			root.CreateAttr("ID", "_evil")
			root.FindElement("./Assertion/Subject/NameID").SetText("attacker")
			return root
		}},
		{"XSW3 evil assertion (same ID) before signed one", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			root.InsertChildAt(orig.Index(), evilAssertion(orig, true))
			return root.FindElement("./Assertion")
		}},
		{"XSW3 evil assertion (new ID) before signed one", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			root.InsertChildAt(orig.Index(), evilAssertion(orig, false))
			return root.FindElement("./Assertion")
		}},
		{"XSW4 signed assertion wrapped in evil one", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, true)
			root.RemoveChild(orig)
			evil.AddChild(orig)
			root.AddChild(evil)
			return root.FindElement("./Assertion")
		}},
		{"XSW5 signature moved to evil assertion, original appended", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, true)
			sig := orig.FindElement("./Signature")
			orig.RemoveChild(sig)
			evil.InsertChildAt(1, sig)
			root.RemoveChild(orig)
			root.AddChild(evil)
			root.AddChild(orig)
			return root.FindElement("./Assertion")
		}},
		{"XSW5 signature copied to evil assertion with its own ID", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, false)
			evil.InsertChildAt(1, orig.FindElement("./Signature").Copy())
			root.InsertChildAt(orig.Index(), evil)
			return root.FindElement("./Assertion")
		}},
		{"XSW6 original inside evil assertion's Signature", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, true)
			sig := orig.FindElement("./Signature").Copy()
			origNoSig := orig.Copy()
			origNoSig.RemoveChild(origNoSig.FindElement("./Signature"))
			sig.AddChild(origNoSig)
			evil.InsertChildAt(1, sig)
			root.RemoveChild(orig)
			root.AddChild(evil)
			return root.FindElement("./Assertion")
		}},
		{"XSW7 original hidden in Extensions", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, true)
			root.RemoveChild(orig)
			ext := root.CreateElement("samlp:Extensions")
			ext.AddChild(orig)
			root.AddChild(evil)
			return root.FindElement("./Assertion")
		}},
		{"XSW8 original inside ds:Object of evil's Signature", true, func(root *etree.Element) *etree.Element {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, true)
			sig := orig.FindElement("./Signature").Copy()
			obj := sig.CreateElement("ds:Object")
			origNoSig := orig.Copy()
			origNoSig.RemoveChild(origNoSig.FindElement("./Signature"))
			obj.AddChild(origNoSig)
			evil.InsertChildAt(1, sig)
			root.RemoveChild(orig)
			root.AddChild(evil)
			return root.FindElement("./Assertion")
		}},
	}
	v := &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := signedResponse(t, kp, tc.signed)
			// Sanity: before the attack the target verifies.
			before := root
			if tc.signed {
				before = root.FindElement("./Assertion")
			}
			_, err := v.Verify(before)
			require.NoError(t, err)

			target := tc.attack(root)
			// Reparse: the attacker delivers bytes.
			path := target.GetPath()
			root = reparse(t, root)
			target = root.FindElement(path)
			require.NotNil(t, target)
			require.Equal(t, "attacker", target.FindElement(".//NameID").Text())
			_, err = v.Verify(target)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrNoSignature) || errors.Is(err, ErrBadSignature) || errors.Is(err, ErrBadReference), err.Error())
		})
	}
}

// TestDoublySigned: with both Response and Assertion signed (landscape.md:
// doubly-signed wrapping and stripping), each signature covers its own
// element only, and every tampering is caught by at least the one the
// consumer requires.
func TestDoublySigned(t *testing.T) {
	kp := key(t, samltest.P256)
	v := &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
	s := &Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
	build := func(t *testing.T) *etree.Element {
		root := parse(t, responseOpen+assertionXML("_a1", 1200)+`</samlp:Response>`)
		require.NoError(t, s.Sign(root.FindElement("./Assertion")))
		require.NoError(t, s.Sign(root))
		return reparse(t, root)
	}
	tests := []struct {
		name                        string
		edit                        func(root *etree.Element)
		wantResponse, wantAssertion error // nil = verifies
	}{
		{"untouched", func(*etree.Element) {}, nil, nil},
		{"assertion content changed", func(root *etree.Element) {
			root.FindElement("./Assertion/Subject/NameID").SetText("attacker")
		}, ErrBadSignature, ErrBadSignature},
		{"response signature stripped", func(root *etree.Element) {
			root.RemoveChild(root.FindElement("./Signature"))
		}, ErrNoSignature, nil},
		{"response attribute changed after stripping its signature", func(root *etree.Element) {
			root.RemoveChild(root.FindElement("./Signature"))
			root.CreateAttr("Destination", "https://evil.example/acs")
		}, ErrNoSignature, nil},
		{"signed assertion hidden, evil one inserted", func(root *etree.Element) {
			orig := root.FindElement("./Assertion")
			evil := evilAssertion(orig, true)
			root.RemoveChild(orig)
			root.CreateElement("samlp:Extensions").AddChild(orig)
			root.AddChild(evil)
		}, ErrBadSignature, ErrNoSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := build(t)
			tc.edit(root)
			root = reparse(t, root)
			for _, c := range []struct {
				el   *etree.Element
				want error
			}{{root, tc.wantResponse}, {root.FindElement("./Assertion"), tc.wantAssertion}} {
				_, err := v.Verify(c.el)
				if c.want == nil {
					require.NoError(t, err, c.el.Tag)
				} else {
					require.ErrorIs(t, err, c.want, c.el.Tag)
				}
			}
		})
	}
}
