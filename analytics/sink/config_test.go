package sink

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConfigSetDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Config
		want Config
	}{
		{
			name: "zero",
			want: Config{Addr: DefaultAddr, Database: DefaultDatabase, Username: DefaultUsername, DialTimeout: DefaultDialTimeout, QueryTimeout: DefaultQueryTimeout},
		},
		{
			name: "set fields kept",
			in:   Config{Addr: "ch:9000", Database: "ops", Username: "u", Password: "p", DialTimeout: time.Second, QueryTimeout: time.Minute},
			want: Config{Addr: "ch:9000", Database: "ops", Username: "u", Password: "p", DialTimeout: time.Second, QueryTimeout: time.Minute},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tt.in
			got.SetDefaults()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SetDefaults() mismatch (-want +got):\n%s", diff)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate() after SetDefaults() = %v, want nil", err)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	valid := func() Config {
		c := Config{}
		c.SetDefaults()
		return c
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   []string // substrings, one per expected problem
	}{
		{"valid", func(*Config) {}, nil},
		{"valid ipv6", func(c *Config) { c.Addr = "[::1]:9000" }, nil},
		{"empty addr", func(c *Config) { c.Addr = "" }, []string{"addr is required"}},
		{"addr without port", func(c *Config) { c.Addr = "localhost" }, []string{"host:port"}},
		{"addr without host", func(c *Config) { c.Addr = ":9000" }, []string{"needs a host"}},
		{"addr bad port", func(c *Config) { c.Addr = "localhost:http" }, []string{"port must be"}},
		{"addr port out of range", func(c *Config) { c.Addr = "localhost:70000" }, []string{"port must be"}},
		{"database with dash", func(c *Config) { c.Database = "wp-test" }, []string{"database must be an identifier"}},
		{"database injection", func(c *Config) { c.Database = "x; DROP DATABASE y" }, []string{"database must be an identifier"}},
		{"database leading digit", func(c *Config) { c.Database = "1wp" }, []string{"database must be an identifier"}},
		{"database too long", func(c *Config) { c.Database = strings.Repeat("a", 65) }, []string{"database must be an identifier"}},
		{"empty username", func(c *Config) { c.Username = "" }, []string{"username is required"}},
		{"negative timeouts", func(c *Config) { c.DialTimeout, c.QueryTimeout = -1, 0 }, []string{"dial_timeout must be positive", "query_timeout must be positive"}},
		{"every problem at once", func(c *Config) { *c = Config{} }, []string{"addr is required", "database must be", "username is required", "dial_timeout", "query_timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tt.mutate(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
			if got, want := len(strings.Split(err.Error(), "\n")), len(tt.want); got != want {
				t.Errorf("Validate() reported %d problems, want %d: %q", got, want, err)
			}
		})
	}
}
