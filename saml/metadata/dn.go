package metadata

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
)

// dnShortNames are the attribute types written by name in a DN entityID;
// any other type is written "OID.<dotted>", as NIAS does for
// organizationIdentifier (2.5.4.97).
var dnShortNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.5": "SERIALNUMBER", "2.5.4.6": "C", "2.5.4.7": "L",
	"2.5.4.8": "S", "2.5.4.9": "STREET", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.12": "T",
	"2.5.4.42": "G", "1.2.840.113549.1.9.1": "E", "0.9.2342.19200300.100.1.25": "DC",
}

// DNEntityID returns the subject of cert as the DN-style entityID NIAS uses
// (spec-digest §4.1): most specific RDN first, ", " between RDNs, short
// names for common attribute types and "OID.x.y.z" for others, e.g.
// "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR". A
// value containing a special character (,+=\"<>#;) or leading or trailing
// space is quoted with double quotes, inner quotes doubled. It fails on a
// subject whose attribute values are not strings.
func DNEntityID(cert *x509.Certificate) (string, error) {
	if cert == nil {
		return "", fmt.Errorf("%w: nil certificate", ErrInvalidConfig)
	}
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(cert.RawSubject, &seq); err != nil || len(rest) > 0 {
		return "", fmt.Errorf("%w: certificate subject is not a DN", ErrBadCertificate)
	}
	rdns := make([]string, 0, len(seq))
	for i := len(seq) - 1; i >= 0; i-- {
		parts := make([]string, 0, len(seq[i]))
		for _, atv := range seq[i] {
			val, ok := atv.Value.(string)
			if !ok {
				return "", fmt.Errorf("%w: subject attribute %s is not a string", ErrBadCertificate, atv.Type)
			}
			name, ok := dnShortNames[atv.Type.String()]
			if !ok {
				name = "OID." + atv.Type.String()
			}
			parts = append(parts, name+"="+dnQuote(val))
		}
		rdns = append(rdns, strings.Join(parts, " + "))
	}
	return strings.Join(rdns, ", "), nil
}

func dnQuote(v string) string {
	if v != "" && !strings.ContainsAny(v, `,+="<>#;`+"\n") && strings.TrimSpace(v) == v {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}
