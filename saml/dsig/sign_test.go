package dsig

import (
	"crypto/x509"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/stretchr/testify/require"
)

// algorithmCases covers every signature method with a fitting key.
var algorithmCases = []struct {
	name   string
	kt     samltest.KeyType
	method string
	digest string
}{
	{"rsa-sha256", samltest.RSA2048, RSASHA256, DigestSHA256},
	{"rsa-sha384", samltest.RSA2048, RSASHA384, DigestSHA384},
	{"rsa-sha512", samltest.RSA3072, RSASHA512, DigestSHA512},
	{"pss-sha256", samltest.RSA2048, RSAPSSSHA256, DigestSHA256},
	{"pss-sha384", samltest.RSA3072, RSAPSSSHA384, DigestSHA384},
	{"pss-sha512", samltest.RSA4096, RSAPSSSHA512, DigestSHA512},
	{"ecdsa-p256", samltest.P256, ECDSASHA256, DigestSHA256},
	{"ecdsa-p384", samltest.P384, ECDSASHA384, DigestSHA384},
	{"ecdsa-p521", samltest.P521, ECDSASHA512, DigestSHA512},
	{"ecdsa-p256-sha512", samltest.P256, ECDSASHA512, DigestSHA256},
}

// TestSignVerifyRoundTrip: every algorithm signs and verifies after a
// serialise/parse round trip (N2, N23; eIDAS signature profile).
func TestSignVerifyRoundTrip(t *testing.T) {
	for _, tc := range algorithmCases {
		t.Run(tc.name, func(t *testing.T) {
			kp := key(t, tc.kt)
			el := parse(t, assertionXML("_rt", 3000))
			s := &Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}, Method: tc.method, Digest: tc.digest}
			require.NoError(t, s.Sign(el))
			got := reparse(t, el)
			v := &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
			cert, err := v.Verify(got)
			require.NoError(t, err)
			require.Same(t, kp.Certificate, cert)
			sig := got.FindElement("./Signature")
			require.NotNil(t, sig)
			require.Equal(t, tc.method, sig.FindElement("./SignedInfo/SignatureMethod").SelectAttrValue("Algorithm", ""))
			require.Equal(t, tc.digest, sig.FindElement("./SignedInfo/Reference/DigestMethod").SelectAttrValue("Algorithm", ""))
		})
	}
}

// TestSignStructure checks the produced Signature shape and placement
// (SAMLCore §5.4: after Issuer).
func TestSignStructure(t *testing.T) {
	kp := key(t, samltest.P256)
	tests := []struct {
		name    string
		xml     string
		wantIdx int // index among child elements
	}{
		{"after issuer", `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_x"><saml:Issuer>i</saml:Issuer><saml:Subject/></saml:Assertion>`, 1},
		{"issuer default ns", `<Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">i</Issuer><Status/></Response>`, 1},
		{"no issuer first", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_x" entityID="e"><md:SPSSODescriptor/></md:EntityDescriptor>`, 0},
		{"foreign Issuer is not saml:Issuer", `<r xmlns:o="urn:other" ID="_x"><o:Issuer/><b/></r>`, 0},
		{"empty element", `<r ID="_x"/>`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			el := parse(t, tc.xml)
			s := &Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
			require.NoError(t, s.Sign(el))
			kids := el.ChildElements()
			require.Equal(t, "ds:Signature", kids[tc.wantIdx].FullTag())
			sig := kids[tc.wantIdx]
			require.Equal(t, nsDS, sig.SelectAttrValue("xmlns:ds", ""))
			require.Equal(t, []string{"ds:SignedInfo", "ds:SignatureValue", "ds:KeyInfo"}, tags(sig.ChildElements()))
			require.Equal(t, ExcC14N, sig.FindElement("./SignedInfo/CanonicalizationMethod").SelectAttrValue("Algorithm", ""))
			require.Equal(t, ECDSASHA256, sig.FindElement("./SignedInfo/SignatureMethod").SelectAttrValue("Algorithm", ""))
			require.Equal(t, "#_x", sig.FindElement("./SignedInfo/Reference").SelectAttrValue("URI", ""))
			var algs []string
			for _, tr := range sig.FindElements("./SignedInfo/Reference/Transforms/Transform") {
				algs = append(algs, tr.SelectAttrValue("Algorithm", ""))
			}
			require.Equal(t, []string{EnvelopedSignature, ExcC14N}, algs)
			require.NotEmpty(t, sig.FindElement("./KeyInfo/X509Data/X509Certificate").Text())
			_, err := (&Verifier{Certificates: []*x509.Certificate{kp.Certificate}}).Verify(reparse(t, el))
			require.NoError(t, err)
		})
	}
}

func tags(els []*etree.Element) []string {
	out := make([]string, len(els))
	for i, e := range els {
		out[i] = e.FullTag()
	}
	return out
}

// TestSignErrors: misconfiguration and unsignable input give typed errors
// and leave the element unchanged.
func TestSignErrors(t *testing.T) {
	rsa := key(t, samltest.RSA2048)
	ec := key(t, samltest.P256)
	tests := []struct {
		name   string
		signer *Signer
		xml    string
		want   error
	}{
		{"nil key", &Signer{}, `<r ID="_a"/>`, ErrInvalidConfig},
		{"no ID", &Signer{Key: rsa.Key}, `<r/>`, ErrBadReference},
		{"empty ID", &Signer{Key: rsa.Key}, `<r ID=""/>`, ErrBadReference},
		{"already signed", &Signer{Key: rsa.Key}, `<r ID="_a"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></r>`, ErrBadSignature},
		{"sha1 method refused", &Signer{Key: rsa.Key, Method: RSASHA1}, `<r ID="_a"/>`, ErrUnsupportedAlgorithm},
		{"hmac refused", &Signer{Key: rsa.Key, Method: HMACSHA1}, `<r ID="_a"/>`, ErrUnsupportedAlgorithm},
		{"sha1 digest refused", &Signer{Key: rsa.Key, Digest: DigestSHA1}, `<r ID="_a"/>`, ErrUnsupportedAlgorithm},
		{"unknown digest", &Signer{Key: rsa.Key, Digest: "urn:x"}, `<r ID="_a"/>`, ErrUnsupportedAlgorithm},
		{"rsa method with ec key", &Signer{Key: ec.Key, Method: RSASHA256}, `<r ID="_a"/>`, ErrUnsupportedAlgorithm},
		{"ecdsa method with rsa key", &Signer{Key: rsa.Key, Method: ECDSASHA256}, `<r ID="_a"/>`, ErrUnsupportedAlgorithm},
		{"undeclared prefix", &Signer{Key: ec.Key}, `<r ID="_a"><x:y/></r>`, ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			el := parse(t, tc.xml)
			before := serialize(t, el)
			err := tc.signer.Sign(el)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, serialize(t, el))
		})
	}
	require.ErrorIs(t, (&Signer{Key: rsa.Key}).Sign(nil), ErrInvalidConfig)
	var nilSigner *Signer
	require.ErrorIs(t, nilSigner.Sign(parse(t, `<r ID="a"/>`)), ErrInvalidConfig)
}

func TestHasSignature(t *testing.T) {
	tests := []struct {
		xml  string
		want bool
	}{
		{`<r><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></r>`, true},
		{`<r><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/></r>`, true},
		{`<r><a><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></a></r>`, false},
		{`<r><ds:Signature xmlns:ds="urn:not-dsig"/></r>`, false},
		{`<r/>`, false},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, HasSignature(parse(t, tc.xml)), tc.xml)
	}
	require.False(t, HasSignature(nil))
}

// TestSignerValidate: every problem is reported at once and typed
// (config structs fail at start-up, not at the first login).
func TestSignerValidate(t *testing.T) {
	rsaKP := key(t, samltest.RSA2048)
	ec := key(t, samltest.P256)
	tests := []struct {
		name   string
		s      *Signer
		wantIs []error
	}{
		{"ok default", &Signer{Key: ec.Key, Certificates: []*x509.Certificate{ec.Certificate}}, nil},
		{"ok explicit", &Signer{Key: rsaKP.Key, Method: RSAPSSSHA512, Digest: DigestSHA512}, nil},
		{"nil signer", nil, []error{ErrInvalidConfig}},
		{"no key", &Signer{}, []error{ErrInvalidConfig}},
		{"certificate of another key", &Signer{Key: ec.Key, Certificates: []*x509.Certificate{rsaKP.Certificate}}, []error{ErrInvalidConfig}},
		{"nil certificate", &Signer{Key: ec.Key, Certificates: []*x509.Certificate{nil}}, []error{ErrInvalidConfig}},
		{"sha1 method and digest", &Signer{Key: rsaKP.Key, Method: RSASHA1, Digest: DigestSHA1}, []error{ErrInvalidConfig, ErrUnsupportedAlgorithm}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Validate()
			if tc.wantIs == nil {
				require.NoError(t, err)
				return
			}
			for _, want := range tc.wantIs {
				require.ErrorIs(t, err, want)
			}
			require.True(t, strings.HasPrefix(err.Error(), "dsig: "), err.Error())
		})
	}
	err := (&Signer{Key: rsaKP.Key, Method: RSASHA1, Digest: DigestSHA1, Certificates: []*x509.Certificate{ec.Certificate}}).Validate()
	require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 3, "every problem reported")
}
