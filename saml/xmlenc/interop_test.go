package xmlenc

// Interoperability with independent implementations (issue 2: "every
// encryption you produce is decrypted by an independent implementation, and
// you decrypt what that tool produces"):
//
//   - xmlsec1 (libxmlsec1 1.2.x with OpenSSL, as Debian 12 ships): AES-GCM
//     data encryption and rsa-oaep-mgf1p key transport, both directions; its
//     AES-CBC and rsa-1_5 output for the refusal paths. xmlsec1 1.2.x does not
//     know xmlenc11#rsa-oaep and supports only SHA-1 as the OAEP digest, so
//     for the eIDAS default (RSA-OAEP with SHA-256 and MGF1-SHA256) it checks
//     the AES-GCM layer with the session key given as a file;
//   - Node's WebCrypto (testdata/interop/webcrypto.mjs): RSA-OAEP with
//     SHA-256 (which fixes MGF1-SHA256) and AES-GCM, both directions,
//     including the OpenSAML "peer" EncryptedKey layout.

import (
	"bytes"
	"crypto"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/internal/interoptest"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

// run runs a tool and returns its standard output, failing the test with
// its standard error.
func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%s %v: %s", name, args, stderr.String())
	return stdout.Bytes()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

func writeDoc(t *testing.T, dir, name string, doc *etree.Document) string {
	t.Helper()
	b, err := doc.WriteToBytes()
	require.NoError(t, err)
	return writeFile(t, dir, name, b)
}

// replace puts with in the place of old in old's parent.
func replace(old, with *etree.Element) {
	p := old.Parent()
	p.InsertChildAt(old.Index(), with)
	p.RemoveChild(old)
}

// requireSame compares two elements by namespace URI, local name,
// attributes other than namespace declarations, and text content, since
// independent serialisers differ in namespace placement and escaping.
func requireSame(t *testing.T, want, got *etree.Element) {
	t.Helper()
	require.Equal(t, want.NamespaceURI()+" "+want.Tag, got.NamespaceURI()+" "+got.Tag)
	attrs := func(e *etree.Element) map[string]string {
		m := map[string]string{}
		for _, a := range e.Attr {
			if _, ok := declaredPrefix(a); !ok {
				m[a.NamespaceURI()+" "+a.Key] = a.Value
			}
		}
		return m
	}
	require.Equal(t, attrs(want), attrs(got), want.Tag)
	wt, err := saml.Text(want)
	if err == nil {
		gt, err := saml.Text(got)
		require.NoError(t, err)
		require.Equal(t, wt, gt)
	}
	wc, gc := want.ChildElements(), got.ChildElements()
	require.Len(t, gc, len(wc), want.Tag)
	for i := range wc {
		requireSame(t, wc[i], gc[i])
	}
}

func TestInteropXmlsec1DecryptsOurs(t *testing.T) {
	xmlsec := interoptest.RequireTool(t, "xmlsec1")
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	dir := t.TempDir()
	keyFile := writeFile(t, dir, "key.pem", kp.KeyPEM())
	for _, data := range []string{AES128GCM, AES192GCM, AES256GCM} {
		t.Run(data, func(t *testing.T) {
			doc, a := response(t, 2000)
			want := selfContained(t, a)
			ea, err := (&Encrypter{Certificate: kp.Certificate, DataMethod: data, KeyTransport: RSAOAEPMGF1P}).EncryptAssertion(a)
			require.NoError(t, err)
			replace(a, ea)
			out := run(t, xmlsec, "--decrypt", "--privkey-pem", keyFile, writeDoc(t, dir, "enc.xml", doc))
			got := parse(t, string(out)).FindElement("//Assertion")
			require.NotNil(t, got, "%s", out)
			requireSame(t, want, got)
		})
	}
}

// TestInteropXmlsec1ReadsDefaultDataLayer checks the eIDAS default output's
// AES-256-GCM layer with xmlsec1, giving it the session key as a file since
// xmlsec1 1.2.x cannot unwrap xmlenc11#rsa-oaep with SHA-256.
func TestInteropXmlsec1ReadsDefaultDataLayer(t *testing.T) {
	xmlsec := interoptest.RequireTool(t, "xmlsec1")
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	dir := t.TempDir()
	doc, a := response(t, 2000)
	want := selfContained(t, a)
	seed := [32]byte{1, 2, 3}
	enc := Encrypter{Certificate: kp.Certificate, Rand: rand.NewChaCha8(seed)}
	ed, err := enc.Encrypt(a)
	require.NoError(t, err)
	// The session key is the first thing Encrypt draws from Rand.
	key := make([]byte, 32)
	_, err = rand.NewChaCha8(seed).Read(key)
	require.NoError(t, err)
	ed.RemoveChild(ed.SelectElement("ds:KeyInfo"))
	replace(a, ed)
	out := run(t, xmlsec, "--decrypt", "--aeskey", writeFile(t, dir, "session.key", key), writeDoc(t, dir, "enc.xml", doc))
	requireSame(t, want, parse(t, string(out)).FindElement("//Assertion"))
}

// xmlsecTemplate is an EncryptedData template for xmlsec1 --encrypt.
func xmlsecTemplate(data, keyTransport string) string {
	return `<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="` + TypeElement + `">` +
		`<xenc:EncryptionMethod Algorithm="` + data + `"/>` +
		`<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey>` +
		`<xenc:EncryptionMethod Algorithm="` + keyTransport + `"/>` +
		`<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>` +
		`<xenc:CipherData><xenc:CipherValue/></xenc:CipherData></xenc:EncryptedData>`
}

func TestInteropXmlsec1EncryptsForUs(t *testing.T) {
	xmlsec := interoptest.RequireTool(t, "xmlsec1")
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	dir := t.TempDir()
	certFile := writeFile(t, dir, "cert.pem", kp.CertPEM())
	tests := []struct {
		name          string
		data, key     string
		session       string
		allowCBC, wrp bool
		wantErr       error
	}{
		{"aes256-gcm mgf1p bare EncryptedData", AES256GCM, RSAOAEPMGF1P, "aes-256", false, false, nil},
		{"aes256-gcm mgf1p in EncryptedAssertion", AES256GCM, RSAOAEPMGF1P, "aes-256", false, true, nil},
		{"aes128-gcm mgf1p", AES128GCM, RSAOAEPMGF1P, "aes-128", false, true, nil},
		{"aes256-cbc allowed", AES256CBC, RSAOAEPMGF1P, "aes-256", true, true, nil},
		{"aes128-cbc allowed", AES128CBC, RSAOAEPMGF1P, "aes-128", true, false, nil},
		{"aes256-cbc refused by default", AES256CBC, RSAOAEPMGF1P, "aes-256", false, true, ErrUnsupportedAlgorithm},
		{"rsa-1_5 refused", AES256GCM, RSA15, "aes-256", false, true, ErrUnsupportedAlgorithm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, a := response(t, 2000)
			want := selfContained(t, a)
			out := run(t, xmlsec, "--encrypt", "--pubkey-cert-pem", certFile, "--session-key", tc.session,
				"--xml-data", writeDoc(t, dir, "data.xml", src),
				"--node-name", saml.NSAssertion+":Assertion",
				writeFile(t, dir, "tmpl.xml", []byte(xmlsecTemplate(tc.data, tc.key))))
			doc := parse(t, string(out))
			enc := doc.FindElement("//EncryptedData")
			require.NotNil(t, enc, "%s", out)
			if tc.wrp {
				ea := etree.NewElement("saml:EncryptedAssertion")
				replace(enc, ea)
				ea.AddChild(enc)
				enc = ea
			}
			got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, AllowCBC: tc.allowCBC}).Decrypt(enc)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			requireSame(t, want, got)
		})
	}
}

func nodeScript(t *testing.T) (node, script string) {
	t.Helper()
	node = interoptest.RequireTool(t, "node")
	script, err := filepath.Abs(filepath.Join("testdata", "interop", "webcrypto.mjs"))
	require.NoError(t, err)
	return node, script
}

func TestInteropWebCryptoDecryptsOurs(t *testing.T) {
	node, script := nodeScript(t)
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	dir := t.TempDir()
	keyFile := writeFile(t, dir, "key.pem", kp.KeyPEM())
	for _, data := range []string{AES128GCM, AES256GCM, ""} {
		t.Run("data="+data, func(t *testing.T) {
			_, a := response(t, 2000)
			ea, err := (&Encrypter{Certificate: kp.Certificate, DataMethod: data}).EncryptAssertion(a)
			require.NoError(t, err)
			out := run(t, node, script, "decrypt", keyFile, writeDoc(t, dir, "enc.xml", etree.NewDocumentWithRoot(ea)))
			doc, err := saml.ParseXML(out, saml.Limits{})
			require.NoError(t, err, "plaintext must parse standalone: %s", out)
			requireSame(t, a, doc.Root())
		})
	}
}

func TestInteropWebCryptoEncryptsForUs(t *testing.T) {
	node, script := nodeScript(t)
	kp := samltest.NewKeyPair(t, samltest.RSA3072)
	dir := t.TempDir()
	certFile := writeFile(t, dir, "cert.pem", kp.CertPEM())
	_, a := response(t, 2000)
	ptFile := writeDoc(t, dir, "pt.xml", etree.NewDocumentWithRoot(selfContained(t, a)))
	for _, layout := range []string{"inline", "peer"} {
		for _, bits := range []string{"128", "256"} {
			t.Run(layout+"/"+bits, func(t *testing.T) {
				out := run(t, node, script, "encrypt", certFile, ptFile, layout, bits)
				doc := parse(t, string(out))
				got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(doc.Root())
				require.NoError(t, err, "%s", out)
				requireSame(t, a, got)
			})
		}
	}
}

// selfContained returns a copy of el declaring the namespaces in scope.
func selfContained(t *testing.T, el *etree.Element) *etree.Element {
	t.Helper()
	b, err := serialize(el)
	require.NoError(t, err)
	return parse(t, string(b)).Root()
}
