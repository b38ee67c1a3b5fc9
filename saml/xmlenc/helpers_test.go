package xmlenc

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
)

// responseXML is a Response whose Assertion relies on namespace
// declarations of the Response root (saml, xs, xsi), as real IdPs write.
// %s is extra AttributeStatement content.
const responseXML = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` +
	`xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
	`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_r1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">` +
	`<saml:Issuer>https://idp.example.hr</saml:Issuer>` +
	`<saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">` +
	`<saml:Issuer>https://idp.example.hr</saml:Issuer>` +
	`<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">12345678903</saml:NameID></saml:Subject>` +
	`<saml:AttributeStatement><saml:Attribute Name="oib"><saml:AttributeValue xsi:type="xs:string">12345678903</saml:AttributeValue></saml:Attribute>` +
	`%s</saml:AttributeStatement></saml:Assertion></samlp:Response>`

// parse parses s with the safe parser, as received input is.
func parse(t testing.TB, s string) *etree.Document {
	t.Helper()
	doc, err := saml.ParseXML([]byte(s), saml.Limits{})
	require.NoError(t, err)
	return doc
}

// response returns a parsed Response and its Assertion; pad adds attributes
// until the Assertion is at least pad bytes long.
func response(t testing.TB, pad int) (*etree.Document, *etree.Element) {
	t.Helper()
	var extra strings.Builder
	for i := 0; extra.Len() < pad; i++ {
		fmt.Fprintf(&extra, `<saml:Attribute Name="attr%d"><saml:AttributeValue xsi:type="xs:string">value %d &amp; more</saml:AttributeValue></saml:Attribute>`, i, i)
	}
	doc := parse(t, fmt.Sprintf(responseXML, extra.String()))
	a := doc.Root().FindElement("Assertion")
	require.NotNil(t, a)
	return doc, a
}

// rawSpec describes a hand-made encrypted element for decryption tests,
// including what this package never produces (CBC, odd OAEP parameters).
type rawSpec struct {
	plaintext string
	dataAlg   string // default AES256GCM
	keyAlg    string // default RSAOAEP
	digest    string // DigestMethod URI; "" = no element
	mgf       string // MGF URI; "" = no element
	oaep      rsa.OAEPOptions
	label     []byte // OAEPparams
	container string // "" = EncryptedAssertion, "-" = bare EncryptedData
	layout    string // "" inline, "peer" sibling EncryptedKey with RetrievalMethod
}

// rawEncrypted returns the XML text of an encrypted element made to spec
// with test-side cryptography.
func rawEncrypted(t testing.TB, pub *rsa.PublicKey, s rawSpec) string {
	t.Helper()
	if s.dataAlg == "" {
		s.dataAlg = AES256GCM
	}
	if s.keyAlg == "" {
		s.keyAlg = RSAOAEP
	}
	alg, _ := dataAlgorithmFor(s.dataAlg)
	key := make([]byte, alg.keySize)
	_, err := rand.Read(key)
	require.NoError(t, err)
	data := testSeal(t, alg, key, []byte(s.plaintext))
	opts := s.oaep
	if opts.Hash == 0 {
		opts.Hash = crypto.SHA1
	}
	opts.Label = s.label
	wrapped, err := rsa.EncryptOAEPWithOptions(rand.Reader, pub, key, &opts)
	require.NoError(t, err)
	return rawXML(s, wrapped, data)
}

func testSeal(t testing.TB, alg dataAlgorithm, key, pt []byte) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	if alg.gcm {
		out, err := seal(alg, key, pt, rand.Reader)
		require.NoError(t, err)
		return out
	}
	// CBC with XML Encryption padding: arbitrary bytes, last byte = count.
	n := aes.BlockSize - len(pt)%aes.BlockSize
	padded := append(append([]byte{}, pt...), make([]byte, n)...)
	_, err = rand.Read(padded[len(pt):])
	require.NoError(t, err)
	padded[len(padded)-1] = byte(n)
	out := make([]byte, aes.BlockSize+len(padded))
	_, err = rand.Read(out[:aes.BlockSize])
	require.NoError(t, err)
	cipher.NewCBCEncrypter(block, out[:aes.BlockSize]).CryptBlocks(out[aes.BlockSize:], padded)
	return out
}

func rawXML(s rawSpec, wrapped, data []byte) string {
	var em strings.Builder
	if s.digest != "" {
		fmt.Fprintf(&em, `<ds:DigestMethod Algorithm="%s"/>`, s.digest)
	}
	if s.mgf != "" {
		fmt.Fprintf(&em, `<xenc11:MGF xmlns:xenc11="%s" Algorithm="%s"/>`, NSXMLEnc11, s.mgf)
	}
	if s.label != nil {
		fmt.Fprintf(&em, `<xenc:OAEPparams>%s</xenc:OAEPparams>`, base64.StdEncoding.EncodeToString(s.label))
	}
	id := ""
	if s.layout == "peer" {
		id = ` Id="_ek1"`
	}
	ek := fmt.Sprintf(`<xenc:EncryptedKey%s><xenc:EncryptionMethod Algorithm="%s">%s</xenc:EncryptionMethod>`+
		`<xenc:CipherData><xenc:CipherValue>%s</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>`,
		id, s.keyAlg, em.String(), base64.StdEncoding.EncodeToString(wrapped))
	keyInfo, sibling := ek, ""
	if s.layout == "peer" {
		keyInfo = `<ds:RetrievalMethod Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_ek1"/>`
		sibling = ek
	}
	ed := fmt.Sprintf(`<xenc:EncryptedData Type="%s"><xenc:EncryptionMethod Algorithm="%s"/>`+
		`<ds:KeyInfo>%s</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>%s</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>`,
		TypeElement, s.dataAlg, keyInfo, base64.StdEncoding.EncodeToString(data))
	decl := `xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"`
	container := s.container
	switch container {
	case "-":
		return strings.Replace(ed, "<xenc:EncryptedData", "<xenc:EncryptedData "+decl, 1)
	case "":
		container = "EncryptedAssertion"
	}
	return fmt.Sprintf(`<saml:%s xmlns:saml="%s" %s>%s%s</saml:%s>`, container, saml.NSAssertion, decl, ed, sibling, container)
}
