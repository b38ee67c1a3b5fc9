package eserviceapp

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"
)

// Defaults of the command-line flags.
const (
	DefaultAddr           = "127.0.0.1:8443"
	DefaultDataDir        = "eidkit-data/eservice"
	DefaultIdPMetadataURL = "http://127.0.0.1:8444/saml/metadata"
	DefaultIdPCertFile    = "eidkit-data/issuer/issuer-signing.crt"
	// DefaultRetryInterval is how often the issuer metadata is tried
	// until it has been loaded once.
	DefaultRetryInterval = 2 * time.Second
)

// KeyName is the name of the e-service's key pair in its data directory
// (<name>.key and <name>.crt, internal/devcert).
const KeyName = "eservice-signing"

// Config configures the demo e-service. It is plain data; Serve validates it
// and never changes it. Run fills it from flags.
type Config struct {
	// Addr is the loopback address to listen on; ignored when Listener is
	// set. Empty means DefaultAddr.
	Addr string
	// Listener, when set, is served instead of listening on Addr (tests
	// use it to pick ephemeral ports before either example starts). It
	// must be on loopback.
	Listener net.Listener
	// DataDir keeps the key pair and the cookie key; created on first
	// run. Required.
	DataDir string
	// IdPMetadataURL is where the issuer publishes its metadata: an http
	// URL on loopback (or https). Required.
	IdPMetadataURL string
	// IdPEntityID is the issuer's entityID; empty means IdPMetadataURL
	// (the examples use their metadata URL as entityID).
	IdPEntityID string
	// IdPCertFile is the issuer's certificate (in its data directory); its
	// metadata must be signed with that key. Until the file exists the
	// metadata is not trusted, unless AllowUnsignedMetadata.
	IdPCertFile string
	// AllowUnsignedMetadata accepts the issuer metadata without a verified
	// signature when IdPCertFile does not exist. RISK: anyone who can
	// answer at IdPMetadataURL (any local process, on loopback) becomes the
	// trusted identity provider and can sign anyone in.
	AllowUnsignedMetadata bool
	// RetryInterval is how often the issuer metadata is tried until it
	// loads; zero means DefaultRetryInterval.
	RetryInterval time.Duration
	// Stdout receives the start-up banner, notes and logs; nil discards.
	Stdout io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of keys, IDs and handles; nil means crypto/rand.
	Rand io.Reader
}

// Validate reports every problem of c, joined; each wraps ErrConfig and
// names the flag.
func (c *Config) Validate() error {
	var errs []error
	if c.Listener == nil && c.Addr != "" {
		if err := checkLoopbackAddr(c.Addr); err != nil {
			errs = append(errs, err)
		}
	}
	if c.DataDir == "" {
		errs = append(errs, fmt.Errorf("%w: -data: required", ErrConfig))
	}
	if err := checkMetadataURL(c.IdPMetadataURL); err != nil {
		errs = append(errs, fmt.Errorf("%w: -idp-metadata: %w", ErrConfig, err))
	}
	if c.RetryInterval < 0 {
		errs = append(errs, fmt.Errorf("%w: RetryInterval: must not be negative", ErrConfig))
	}
	return errors.Join(errs...)
}

// checkMetadataURL accepts https URLs and http URLs on loopback.
func checkMetadataURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return errors.New("required")
	case err != nil:
		return err
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%q: want https, or http on a loopback host", s)
}

// ParseArgs reads the command-line flags into a Config. Usage goes to
// stdout; -h returns flag.ErrHelp.
func ParseArgs(args []string, stdout io.Writer) (Config, error) {
	fs := flag.NewFlagSet("eservice", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var c Config
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "loopback `address` to listen on (plain HTTP)")
	fs.StringVar(&c.DataDir, "data", DefaultDataDir, "`directory` for the key pair and cookie key (created on first run)")
	fs.StringVar(&c.IdPMetadataURL, "idp-metadata", DefaultIdPMetadataURL, "`URL` of the issuer metadata")
	fs.StringVar(&c.IdPEntityID, "idp-entity-id", "", "issuer `entityID` (default: the -idp-metadata URL)")
	fs.StringVar(&c.IdPCertFile, "idp-cert", DefaultIdPCertFile, "issuer certificate `file` that must have signed its metadata")
	fs.BoolVar(&c.AllowUnsignedMetadata, "allow-unsigned-metadata", false,
		"accept unsigned issuer metadata when -idp-cert does not exist (RISK: any local process can pose as the issuer)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("%w: unexpected argument %q", ErrConfig, fs.Arg(0))
	}
	return c, nil
}
