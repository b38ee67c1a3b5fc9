package dsig

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

// resign recomputes DigestValue and SignatureValue of el's Signature after
// a test edited it, so that the check under test (not a broken signature)
// is what rejects the result. It uses the SignedInfo's own methods.
func resign(t testing.TB, el *etree.Element, signer crypto.Signer) {
	t.Helper()
	sig := el.FindElement("./Signature")
	require.NotNil(t, sig)
	si := sig.FindElement("./SignedInfo")
	for _, ref := range si.FindElements("./Reference") {
		dh, ok := lookupDigest(ref.FindElement("./DigestMethod").SelectAttrValue("Algorithm", ""))
		require.True(t, ok)
		h := dh.New()
		var prefixes []string
		for _, tr := range ref.FindElements("./Transforms/Transform") {
			if p, err := excC14NMethod(tr); err == nil {
				prefixes = p
			}
		}
		require.NoError(t, canonicalize(h, el, sig, prefixes))
		ref.FindElement("./DigestValue").SetText(base64.StdEncoding.EncodeToString(h.Sum(nil)))
	}
	alg, ok := lookupMethod(si.FindElement("./SignatureMethod").SelectAttrValue("Algorithm", ""))
	require.True(t, ok)
	h := alg.hash.New()
	prefixes, _ := excC14NMethod(si.FindElement("./CanonicalizationMethod"))
	require.NoError(t, canonicalize(h, si, nil, prefixes))
	value, err := signDigest(signer, alg, h.Sum(nil))
	require.NoError(t, err)
	sig.FindElement("./SignatureValue").SetText(base64.StdEncoding.EncodeToString(value))
}

func setAlg(t testing.TB, el *etree.Element, path, uri string) {
	t.Helper()
	m := el.FindElement(path)
	require.NotNil(t, m, path)
	m.CreateAttr("Algorithm", uri)
}

// TestVerifyRejects covers the verification rules and attack classes of
// landscape.md (stripping, empty SignatureValue, reference games, HMAC,
// SHA-1, c14n variants, weak keys) and N23 (trust only exchanged
// certificates: key substitution with an embedded KeyInfo certificate). Every edited message
// is re-signed with the trusted key unless the case is about the
// signature value itself, so only the named check can reject it.
func TestVerifyRejects(t *testing.T) {
	kp := key(t, samltest.RSA2048)
	other := key(t, samltest.RSA3072)
	ec := key(t, samltest.P256)
	dsT := func(s string) string { return "./Signature/SignedInfo/" + s }
	tests := []struct {
		name     string
		edit     func(t *testing.T, el *etree.Element) // applied to a freshly signed assertion
		noResign bool
		verifier *Verifier
		want     error
	}{
		{name: "signature stripped", noResign: true, want: ErrNoSignature,
			edit: func(t *testing.T, el *etree.Element) { el.RemoveChild(el.FindElement("./Signature")) }},
		{name: "signature nested deeper than direct child", noResign: true, want: ErrNoSignature,
			edit: func(t *testing.T, el *etree.Element) {
				sig := el.FindElement("./Signature")
				el.RemoveChild(sig)
				el.FindElement("./Subject").AddChild(sig)
			}},
		{name: "signature in wrong namespace", noResign: true, want: ErrNoSignature,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement("./Signature").CreateAttr("xmlns:ds", "urn:not-dsig")
			}},
		{name: "empty SignatureValue", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement("./Signature/SignatureValue").SetText("  \n ") }},
		{name: "SignatureValue not base64", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement("./Signature/SignatureValue").SetText("!!notbase64")
			}},
		{name: "SignatureValue of other data", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) {
				v, err := SignBytes(kp.Key, RSASHA256, []byte("x"))
				require.NoError(t, err)
				el.FindElement("./Signature/SignatureValue").SetText(base64.StdEncoding.EncodeToString(v))
			}},
		{name: "signed content modified", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement("./Subject/NameID").SetText("99999999999") }},
		{name: "attribute added to signed element", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) { el.CreateAttr("Extra", "1") }},
		{name: "DigestValue modified", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement(dsT("Reference/DigestValue")).SetText(base64.StdEncoding.EncodeToString(make([]byte, 32)))
			}},
		{name: "DigestValue wrong length", want: ErrBadSignature, noResign: true,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement(dsT("Reference/DigestValue")).SetText("AAAA") }},
		{name: "reference URI empty", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement(dsT("Reference")).CreateAttr("URI", "") }},
		{name: "reference URI elsewhere", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement(dsT("Reference")).CreateAttr("URI", "#_other") }},
		{name: "reference URI missing", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement(dsT("Reference")).RemoveAttr("URI") }},
		{name: "reference URI xpointer", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement(dsT("Reference")).CreateAttr("URI", "#xpointer(id('_a1'))")
			}},
		{name: "element ID removed", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) { el.RemoveAttr("ID") }},
		{name: "two references", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) {
				si := el.FindElement(dsT(""))
				si.AddChild(el.FindElement(dsT("Reference")).Copy())
			}},
		{name: "duplicate ID in document", want: ErrBadReference,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement("./Subject").CreateElement("saml:Extra").CreateAttr("ID", "_a1")
			}},
		{name: "two signature children", want: ErrBadSignature, noResign: true,
			edit: func(t *testing.T, el *etree.Element) { el.AddChild(el.FindElement("./Signature").Copy()) }},
		{name: "object in signature", want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement("./Signature").CreateElement("ds:Object").CreateElement("x")
			}},
		{name: "HMAC method", want: ErrUnsupportedAlgorithm, noResign: true,
			edit: func(t *testing.T, el *etree.Element) { setAlg(t, el, dsT("SignatureMethod"), HMACSHA1) }},
		{name: "HMAC output length parameter", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement(dsT("SignatureMethod")).CreateElement("ds:HMACOutputLength").SetText("8")
			}},
		{name: "rsa-sha1 method", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) { setAlg(t, el, dsT("SignatureMethod"), RSASHA1) }},
		{name: "sha1 digest", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) { setAlg(t, el, dsT("Reference/DigestMethod"), DigestSHA1) }},
		{name: "unknown method", want: ErrUnsupportedAlgorithm, noResign: true,
			edit: func(t *testing.T, el *etree.Element) { setAlg(t, el, dsT("SignatureMethod"), "urn:x") }},
		{name: "c14n with comments", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				setAlg(t, el, dsT("CanonicalizationMethod"), ExcC14NWithComments)
			}},
		{name: "inclusive c14n", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				setAlg(t, el, dsT("CanonicalizationMethod"), "http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
			}},
		{name: "transform exc-c14n with comments", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				setAlg(t, el, dsT("Reference/Transforms/Transform[2]"), ExcC14NWithComments)
			}},
		{name: "enveloped transform missing", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				tr := el.FindElement(dsT("Reference/Transforms"))
				tr.RemoveChild(tr.FindElement("./Transform[1]"))
			}},
		{name: "c14n transform missing", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				tr := el.FindElement(dsT("Reference/Transforms"))
				tr.RemoveChild(tr.FindElement("./Transform[2]"))
			}},
		{name: "xpath transform added", want: ErrUnsupportedAlgorithm,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement(dsT("Reference/Transforms")).CreateElement("ds:Transform").CreateAttr("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")
			}},
		{name: "transforms element missing", want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) {
				ref := el.FindElement(dsT("Reference"))
				ref.RemoveChild(ref.FindElement("./Transforms"))
			}},
		{name: "DigestValue holds element", want: ErrBadSignature, noResign: true,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement(dsT("Reference/DigestValue")).CreateElement("x") }},
		{name: "foreign element in SignedInfo", want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) { el.FindElement(dsT("")).CreateElement("saml:Foo") }},
		{name: "key substitution with own KeyInfo cert", noResign: true, want: ErrUntrustedKey,
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement("./Subject/NameID").SetText("attacker")
				el.FindElement("./Signature/KeyInfo/X509Data/X509Certificate").SetText(base64.StdEncoding.EncodeToString(other.Certificate.Raw))
				resign(t, el, other.Key)
			}},
		{name: "signed by unconfigured key without KeyInfo", noResign: true, want: ErrBadSignature,
			edit: func(t *testing.T, el *etree.Element) {
				sig := el.FindElement("./Signature")
				sig.RemoveChild(sig.FindElement("./KeyInfo"))
				resign(t, el, other.Key)
			}},
		{name: "no certificates configured", verifier: &Verifier{}, want: ErrUntrustedKey},
		{name: "invalid policy", verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, Policy: Policy{Methods: []string{"urn:x"}}}, want: ErrInvalidConfig},
		{name: "method outside eIDAS policy", want: ErrUnsupportedAlgorithm, noResign: true,
			verifier: &Verifier{Certificates: []*x509.Certificate{other.Certificate}, Policy: EIDASPolicy()},
			edit:     func(t *testing.T, el *etree.Element) { resign(t, el, other.Key) }},
		{name: "weak certificate configured", want: ErrWeakKey,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, Policy: EIDASPolicy()}},
		{name: "RSA-2048 under eIDAS policy", want: ErrWeakKey,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, Policy: EIDASPolicy()},
			edit:     func(t *testing.T, el *etree.Element) { setAlg(t, el, dsT("SignatureMethod"), RSAPSSSHA256) }},
		{name: "ECDSA method with RSA cert", want: ErrUnsupportedAlgorithm,
			edit:     func(t *testing.T, el *etree.Element) { setAlg(t, el, dsT("SignatureMethod"), ECDSASHA256) },
			noResign: true},
		{name: "EC cert configured for RSA signature", want: ErrUnsupportedAlgorithm,
			verifier: &Verifier{Certificates: []*x509.Certificate{ec.Certificate}}},
		{name: "expired certificate with CheckValidity", want: ErrUntrustedKey,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, CheckValidity: true,
				Now: func() time.Time { return kp.Certificate.NotAfter.Add(time.Hour) }}},
		{name: "not yet valid certificate with CheckValidity", want: ErrUntrustedKey,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, CheckValidity: true,
				Now: func() time.Time { return kp.Certificate.NotBefore.Add(-time.Hour) }}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			el := signed(t, kp, RSASHA256)
			if tc.edit != nil {
				tc.edit(t, el)
				if !tc.noResign {
					resign(t, el, kp.Key)
				}
			}
			el = reparse(t, el)
			v := tc.verifier
			if v == nil {
				v = &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
			}
			cert, err := v.Verify(el)
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, cert)
			require.True(t, strings.HasPrefix(err.Error(), "dsig: "), err.Error())
		})
	}
}

// TestVerifyAccepts covers inputs that must verify.
func TestVerifyAccepts(t *testing.T) {
	kp := key(t, samltest.RSA2048)
	second := key(t, samltest.RSA3072)
	dsT := func(s string) string { return "./Signature/SignedInfo/" + s }
	tests := []struct {
		name     string
		signer   *samltest.KeyPair
		edit     func(t *testing.T, el *etree.Element)
		resign   bool
		verifier *Verifier
		wantCert *x509.Certificate
	}{
		{name: "plain", signer: kp, wantCert: kp.Certificate},
		{name: "comment injected in signed text still verifies", signer: kp, wantCert: kp.Certificate,
			edit: func(t *testing.T, el *etree.Element) {
				n := el.FindElement("./Subject/NameID")
				n.SetText("1234")
				n.CreateComment("injected")
				n.CreateText("5678903")
			}},
		{name: "SignatureValue wrapped in whitespace", signer: kp, wantCert: kp.Certificate,
			edit: func(t *testing.T, el *etree.Element) {
				sv := el.FindElement("./Signature/SignatureValue")
				s := sv.Text()
				sv.SetText("\n  " + s[:20] + "\n\t" + s[20:] + "\r\n")
			}},
		{name: "transforms in reverse order", signer: kp, wantCert: kp.Certificate, resign: true,
			edit: func(t *testing.T, el *etree.Element) {
				setAlg(t, el, dsT("Reference/Transforms/Transform[1]"), ExcC14N)
				setAlg(t, el, dsT("Reference/Transforms/Transform[2]"), EnvelopedSignature)
			}},
		{name: "InclusiveNamespaces PrefixList", signer: kp, wantCert: kp.Certificate, resign: true,
			edit: func(t *testing.T, el *etree.Element) {
				in := el.FindElement(dsT("CanonicalizationMethod")).CreateElement("ec:InclusiveNamespaces")
				in.CreateAttr("xmlns:ec", ExcC14N)
				in.CreateAttr("PrefixList", "xs #default")
			}},
		{name: "rsa-sha1 with AllowSHA1", signer: kp, wantCert: kp.Certificate, resign: true,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, Policy: Policy{AllowSHA1: true}},
			edit: func(t *testing.T, el *etree.Element) {
				setAlg(t, el, dsT("SignatureMethod"), RSASHA1)
				setAlg(t, el, dsT("Reference/DigestMethod"), DigestSHA1)
			}},
		{name: "key rollover: second configured cert", signer: second, wantCert: second.Certificate,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate, second.Certificate}}},
		{name: "key rollover: misleading KeyInfo hint", signer: second, wantCert: second.Certificate,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate, second.Certificate}},
			edit: func(t *testing.T, el *etree.Element) {
				el.FindElement("./Signature/KeyInfo/X509Data/X509Certificate").SetText(base64.StdEncoding.EncodeToString(kp.Certificate.Raw))
			}},
		{name: "expired certificate without CheckValidity", signer: kp, wantCert: kp.Certificate,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate},
				Now: func() time.Time { return kp.Certificate.NotAfter.Add(time.Hour) }}},
		{name: "valid certificate with CheckValidity", signer: kp, wantCert: kp.Certificate,
			verifier: &Verifier{Certificates: []*x509.Certificate{kp.Certificate}, CheckValidity: true,
				Now: func() time.Time { return kp.Certificate.NotBefore.Add(time.Hour) }}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			el := signed(t, tc.signer, "")
			if tc.edit != nil {
				tc.edit(t, el)
				if tc.resign {
					resign(t, el, tc.signer.Key)
				}
			}
			el = reparse(t, el)
			v := tc.verifier
			if v == nil {
				v = &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
			}
			cert, err := v.Verify(el)
			require.NoError(t, err)
			require.Same(t, tc.wantCert, cert)
		})
	}
}

func TestVerifyNil(t *testing.T) {
	kp := key(t, samltest.P256)
	_, err := (&Verifier{Certificates: []*x509.Certificate{kp.Certificate}}).Verify(nil)
	require.ErrorIs(t, err, ErrNoSignature)
	_, err = (&Verifier{Certificates: []*x509.Certificate{nil}}).Verify(parse(t, `<a/>`))
	require.ErrorIs(t, err, ErrInvalidConfig)
}

// TestVerifyErrorDetail: failures carry a *VerifyError with a reason.
func TestVerifyErrorDetail(t *testing.T) {
	kp := key(t, samltest.P256)
	el := signed(t, kp, "")
	el.FindElement("./Signature/SignedInfo/Reference").CreateAttr("URI", "#elsewhere")
	_, err := (&Verifier{Certificates: []*x509.Certificate{kp.Certificate}}).Verify(el)
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	require.ErrorIs(t, ve, ErrBadReference)
	require.Contains(t, ve.Reason, "#elsewhere")
	require.Equal(t, "dsig: bad reference: "+ve.Reason, err.Error())
}

// TestCommentInjection: a comment injected into signed text after signing
// does not break the signature (c14n drops comments) and saml.Text reads
// the whole value, so "12345<!---->678903" cannot be read as "12345"
// (landscape.md comment-injection class).
func TestCommentInjection(t *testing.T) {
	kp := key(t, samltest.RSA2048)
	wire := serialize(t, signed(t, kp, ""))
	injected := strings.Replace(wire, "12345678903", "12345<!--injected-->678903", 1)
	require.NotEqual(t, wire, injected)
	doc, err := saml.ParseXML([]byte(injected), saml.Limits{})
	require.NoError(t, err)
	_, err = (&Verifier{Certificates: []*x509.Certificate{kp.Certificate}}).Verify(doc.Root())
	require.NoError(t, err)
	nameID := doc.Root().FindElement("./Subject/NameID")
	text, err := saml.Text(nameID)
	require.NoError(t, err)
	require.Equal(t, "12345678903", text)

	// Changing the text itself still breaks the signature.
	forged := strings.Replace(wire, "12345678903", "12345<!---->678904", 1)
	doc, err = saml.ParseXML([]byte(forged), saml.Limits{})
	require.NoError(t, err)
	_, err = (&Verifier{Certificates: []*x509.Certificate{kp.Certificate}}).Verify(doc.Root())
	require.ErrorIs(t, err, ErrBadSignature)
}

func TestVerifierValidate(t *testing.T) {
	rsaKP := key(t, samltest.RSA2048)
	ec := key(t, samltest.P256)
	tests := []struct {
		name   string
		v      *Verifier
		wantIs []error
		count  int
	}{
		{"ok", &Verifier{Certificates: []*x509.Certificate{rsaKP.Certificate, ec.Certificate}}, nil, 0},
		{"nil verifier", nil, []error{ErrInvalidConfig}, 0},
		{"no certificates", &Verifier{}, []error{ErrInvalidConfig, ErrUntrustedKey}, 1},
		{"nil certificate", &Verifier{Certificates: []*x509.Certificate{nil}}, []error{ErrInvalidConfig}, 1},
		{"weak for eIDAS", &Verifier{Certificates: []*x509.Certificate{rsaKP.Certificate}, Policy: EIDASPolicy()}, []error{ErrInvalidConfig, ErrWeakKey}, 1},
		{"every problem", &Verifier{Certificates: []*x509.Certificate{nil, rsaKP.Certificate}, Policy: Policy{MinRSABits: 4096, MinECBits: 1}}, []error{ErrInvalidConfig, ErrWeakKey}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Validate()
			if tc.wantIs == nil {
				require.NoError(t, err)
				return
			}
			for _, want := range tc.wantIs {
				require.ErrorIs(t, err, want)
			}
			if tc.count > 0 {
				require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), tc.count)
			}
		})
	}
}

func TestClip(t *testing.T) {
	require.Equal(t, "short", clip("short"))
	long := strings.Repeat("ž", 100) // 2 bytes each
	got := clip(long)
	require.True(t, strings.HasSuffix(got, "..."))
	require.LessOrEqual(t, len(got), maxReasonValue+3)
	require.True(t, utf8.ValidString(got))
}
