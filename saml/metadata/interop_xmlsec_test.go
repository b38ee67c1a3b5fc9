package metadata_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/internal/interoptest"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

const idAttr = "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor"

// xmlsecVerify runs xmlsec1 --verify trusting only certPEM (KeyInfo is not
// used: key-name is the only enabled key data).
func xmlsecVerify(t *testing.T, xmlsec string, doc, certPEM []byte) error {
	t.Helper()
	dir := t.TempDir()
	docPath, certPath := filepath.Join(dir, "md.xml"), filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(docPath, doc, 0o600))
	require.NoError(t, os.WriteFile(certPath, certPEM, 0o600))
	out, err := exec.Command(xmlsec, "--verify", "--pubkey-cert-pem", certPath, "--enabled-key-data", "key-name",
		"--id-attr:ID", idAttr, docPath).CombinedOutput()
	if err != nil {
		t.Logf("xmlsec1: %s", out)
	}
	return err
}

// TestInteropXmlsecVerifiesEidkit: xmlsec1 verifies metadata signed by
// eidkit, and refuses a tampered copy.
func TestInteropXmlsecVerifiesEidkit(t *testing.T) {
	t.Parallel()
	xmlsec := interoptest.RequireTool(t, "xmlsec1")
	for _, kt := range []samltest.KeyType{samltest.RSA2048, samltest.P256, samltest.P384} {
		t.Run(string(kt), func(t *testing.T) {
			kp := samltest.NewKeyPair(t, kt)
			ed, err := metadata.NewIDP(idpConfig(certsOf(kp)))
			require.NoError(t, err)
			signed, err := ed.Sign(dsigSigner(kp))
			require.NoError(t, err)
			require.NoError(t, xmlsecVerify(t, xmlsec, signed, kp.CertPEM()))
			tampered := bytes.Replace(signed, []byte("ssout-soap"), []byte("ssout-evil"), 1)
			require.Error(t, xmlsecVerify(t, xmlsec, tampered, kp.CertPEM()))
		})
	}
}

// TestInteropEidkitVerifiesXmlsec: eidkit verifies metadata that xmlsec1
// signed just now (the checked-in fixtures cover the same offline).
func TestInteropEidkitVerifiesXmlsec(t *testing.T) {
	t.Parallel()
	xmlsec := interoptest.RequireTool(t, "xmlsec1")
	cases := []struct {
		kt             samltest.KeyType
		method, digest string
	}{
		{samltest.RSA2048, dsig.RSASHA256, dsig.DigestSHA256},
		{samltest.RSA3072, dsig.RSASHA512, dsig.DigestSHA512},
		{samltest.P256, dsig.ECDSASHA256, dsig.DigestSHA256},
	}
	for _, tc := range cases {
		t.Run(string(tc.kt), func(t *testing.T) {
			kp := samltest.NewKeyPair(t, tc.kt)
			ed, err := metadata.NewSP(spConfig(certsOf(kp)))
			require.NoError(t, err)
			ed.ID = "_xmlsec"
			plain, err := ed.Marshal()
			require.NoError(t, err)
			tmpl := insertAfterRootTag(t, string(plain), signatureTemplate(tc.method, tc.digest, "#_xmlsec"))

			dir := t.TempDir()
			in, key, cert := filepath.Join(dir, "in.xml"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "cert.pem")
			require.NoError(t, os.WriteFile(in, []byte(tmpl), 0o600))
			require.NoError(t, os.WriteFile(key, kp.KeyPEM(), 0o600))
			require.NoError(t, os.WriteFile(cert, kp.CertPEM(), 0o600))
			signed, err := exec.Command(xmlsec, "--sign", "--privkey-pem", key+","+cert, "--id-attr:ID", idAttr, in).Output()
			require.NoError(t, err)

			got, err := metadata.Parse(signed, trusting(kp.Certificate))
			require.NoError(t, err)
			require.Equal(t, ed, normalize(got))
			other := samltest.NewKeyPair(t, tc.kt)
			_, err = metadata.Parse(signed, trusting(other.Certificate))
			require.ErrorIs(t, err, metadata.ErrBadSignature)
		})
	}
}

// insertAfterRootTag puts s right after the EntityDescriptor start tag.
func insertAfterRootTag(t *testing.T, doc, s string) string {
	t.Helper()
	start := strings.Index(doc, "<md:EntityDescriptor ")
	require.GreaterOrEqual(t, start, 0)
	end := start + strings.Index(doc[start:], ">") + 1
	return doc[:end] + s + doc[end:]
}

func signatureTemplate(method, digest, ref string) string {
	return `<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
		`<ds:SignatureMethod Algorithm="` + method + `"/><ds:Reference URI="` + ref + `"><ds:Transforms>` +
		`<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
		`<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + digest + `"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>` +
		`<ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>`
}
