package deploytest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Grafana files.
const (
	GrafanaDatasourcesDir = GrafanaDir + "/provisioning/datasources"
	GrafanaProvidersDir   = GrafanaDir + "/provisioning/dashboards"
	GrafanaDashboardsDir  = GrafanaDir + "/dashboards"
	ClickHousePlugin      = "grafana-clickhouse-datasource"
)

// Datasource is one provisioned Grafana data source.
type Datasource struct {
	Name           string         `yaml:"name"`
	UID            string         `yaml:"uid"`
	Type           string         `yaml:"type"`
	Access         string         `yaml:"access"`
	OrgID          int            `yaml:"orgId"`
	URL            string         `yaml:"url"`
	IsDefault      bool           `yaml:"isDefault"`
	Editable       bool           `yaml:"editable"`
	Version        int            `yaml:"version"`
	JSONData       map[string]any `yaml:"jsonData"`
	SecureJSONData map[string]any `yaml:"secureJsonData"`
}

// Dashboard is a dashboard JSON file, as far as the checks read it.
type Dashboard struct {
	File       string
	UID        string `json:"uid"`
	Title      string `json:"title"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Datasource *DatasourceRef  `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
	Panels []*Panel `json:"panels"`
}

// Panel is a dashboard panel; rows hold panels of their own.
type Panel struct {
	ID         int            `json:"id"`
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Datasource *DatasourceRef `json:"datasource"`
	Targets    []struct {
		Datasource *DatasourceRef `json:"datasource"`
		EditorType string         `json:"editorType"`
		Format     *int           `json:"format"`
		QueryType  string         `json:"queryType"`
		RawSQL     string         `json:"rawSql"`
		RefID      string         `json:"refId"`
	} `json:"targets"`
	Panels []*Panel `json:"panels"`
}

// DatasourceRef points a panel or target at a data source.
type DatasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// Grafana is the provisioning and the dashboards of deploy/grafana.
type Grafana struct {
	Datasources []Datasource
	// ProviderPaths are the options.path of the file dashboard providers (paths in Grafana).
	ProviderPaths []string
	Dashboards    []*Dashboard
}

// RequiredPanels are the panels the dashboard must have (title prefixes).
var RequiredPanels = []string{
	"Travellers screened per hour",
	"Hits per database per day",
	"Hits per border post",
	"Screening latency",
}

// LoadGrafana reads deploy/grafana.
func LoadGrafana(r *Repo) (*Grafana, []error) {
	g := &Grafana{}
	var errs []error
	files, _ := fs.Glob(r.FS, GrafanaDatasourcesDir+"/*.yaml")
	for _, f := range files {
		var doc struct {
			APIVersion  int          `yaml:"apiVersion"`
			Datasources []Datasource `yaml:"datasources"`
		}
		if err := decodeYAMLFile(r.FS, f, &doc); err != nil {
			errs = append(errs, err)
			continue
		}
		g.Datasources = append(g.Datasources, doc.Datasources...)
	}
	files, _ = fs.Glob(r.FS, GrafanaProvidersDir+"/*.yaml")
	for _, f := range files {
		var doc struct {
			APIVersion int `yaml:"apiVersion"`
			Providers  []struct {
				Name                  string `yaml:"name"`
				OrgID                 int    `yaml:"orgId"`
				Folder                string `yaml:"folder"`
				FolderUID             string `yaml:"folderUid"`
				Type                  string `yaml:"type"`
				DisableDeletion       bool   `yaml:"disableDeletion"`
				AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
				UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
				Options               struct {
					Path                      string `yaml:"path"`
					FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
				} `yaml:"options"`
			} `yaml:"providers"`
		}
		if err := decodeYAMLFile(r.FS, f, &doc); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, p := range doc.Providers {
			if p.Type == "file" {
				g.ProviderPaths = append(g.ProviderPaths, p.Options.Path)
			}
		}
	}
	files, _ = fs.Glob(r.FS, GrafanaDashboardsDir+"/*.json")
	for _, f := range files {
		b, err := fs.ReadFile(r.FS, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d := &Dashboard{File: f}
		if err := json.Unmarshal(b, d); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
			continue
		}
		g.Dashboards = append(g.Dashboards, d)
	}
	if len(g.Datasources) == 0 || len(g.ProviderPaths) == 0 || len(g.Dashboards) == 0 {
		errs = append(errs, fmt.Errorf("%s: want data source provisioning, a file dashboard provider and dashboards", GrafanaDir))
	}
	return g, errs
}

// decodeYAMLFile decodes one YAML document strictly: unknown fields are errors.
func decodeYAMLFile(fsys fs.FS, name string, v any) error {
	f, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// AllPanels returns the dashboard's panels, rows flattened.
func (d *Dashboard) AllPanels() []*Panel {
	var out []*Panel
	var add func(ps []*Panel)
	add = func(ps []*Panel) {
		for _, p := range ps {
			out = append(out, p)
			add(p.Panels)
		}
	}
	add(d.Panels)
	return out
}

// Variables returns the names of the dashboard's template variables.
func (d *Dashboard) Variables() map[string]bool {
	v := map[string]bool{}
	for _, t := range d.Templating.List {
		v[t.Name] = true
	}
	return v
}

// Queries returns every SQL query of the dashboard: panel targets and query variables, named
// for messages.
func (d *Dashboard) Queries() map[string]string {
	q := map[string]string{}
	for _, p := range d.AllPanels() {
		for _, t := range p.Targets {
			q[fmt.Sprintf("panel %q target %s", p.Title, t.RefID)] = t.RawSQL
		}
	}
	for _, t := range d.Templating.List {
		if t.Type != "query" {
			continue
		}
		var s string
		if json.Unmarshal(t.Query, &s) == nil {
			q[fmt.Sprintf("variable %s", t.Name)] = s
		}
	}
	return q
}

// CheckGrafana checks the data source provisioning and every dashboard query.
func CheckGrafana(r *Repo) []error {
	g, errs := LoadGrafana(r)
	uids := map[string]bool{}
	for _, ds := range g.Datasources {
		where := fmt.Sprintf("%s: data source %q", GrafanaDatasourcesDir, ds.Name)
		if ds.Type != ClickHousePlugin {
			errs = append(errs, fmt.Errorf("%s: type %q, want %s", where, ds.Type, ClickHousePlugin))
			continue
		}
		if ds.UID == "" {
			errs = append(errs, fmt.Errorf("%s: no uid (dashboards refer to it by uid)", where))
		}
		uids[ds.UID] = true
		if p := scalar(ds.JSONData["protocol"]); p != "native" {
			errs = append(errs, fmt.Errorf("%s: protocol %q, want native (ClickHouse's native port 9000)", where, p))
		}
		if p := scalar(ds.JSONData["port"]); p != "9000" {
			errs = append(errs, fmt.Errorf("%s: port %s, want 9000 (the native protocol)", where, p))
		}
	}
	for _, d := range g.Dashboards {
		fail := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("%s: "+format, append([]any{d.File}, a...)...))
		}
		if d.UID == "" || d.Title == "" {
			fail("dashboards need a uid and a title")
		}
		titles := map[string]bool{}
		checkRef := func(what string, ref *DatasourceRef) {
			if ref == nil || ref.Type != ClickHousePlugin || !uids[ref.UID] {
				fail("%s: data source %+v is not a provisioned ClickHouse data source", what, ref)
			}
		}
		for _, p := range d.AllPanels() {
			titles[p.Title] = true
			if p.Type == "row" {
				continue
			}
			checkRef(fmt.Sprintf("panel %q", p.Title), p.Datasource)
			if len(p.Targets) == 0 {
				fail("panel %q has no query", p.Title)
			}
			for _, t := range p.Targets {
				checkRef(fmt.Sprintf("panel %q target %s", p.Title, t.RefID), t.Datasource)
				if t.EditorType != "sql" || strings.TrimSpace(t.RawSQL) == "" {
					fail("panel %q target %s: want editorType sql and a rawSql query", p.Title, t.RefID)
				}
				wantFormat := map[string]int{"timeseries": 0, "table": 1}
				if want, ok := wantFormat[t.QueryType]; !ok || t.Format == nil || *t.Format != want {
					fail("panel %q target %s: queryType %q with format %v (want timeseries/0 or table/1)", p.Title, t.RefID, t.QueryType, t.Format)
				}
				if p.Type == "timeseries" && t.QueryType != "timeseries" {
					fail("panel %q: a time series panel needs queryType timeseries", p.Title)
				}
			}
		}
		for _, want := range RequiredPanels {
			found := false
			for t := range titles {
				found = found || strings.HasPrefix(t, want)
			}
			if !found {
				fail("no panel %q", want)
			}
		}
		for _, t := range d.Templating.List {
			if t.Type == "query" {
				checkRef("variable "+t.Name, t.Datasource)
			}
		}
		vars := d.Variables()
		queries := d.Queries()
		names := make([]string, 0, len(queries))
		for n := range queries {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			for _, err := range r.CheckQuery(queries[n], vars) {
				fail("%s: %v", n, err)
			}
		}
	}
	return errs
}

var grafanaEnv = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// expandGrafanaEnv replaces $NAME and ${NAME} as Grafana's provisioning does.
func expandGrafanaEnv(v any, env map[string]string) string {
	return grafanaEnv.ReplaceAllStringFunc(scalar(v), func(m string) string {
		return env[grafanaEnv.FindStringSubmatch(m)[1]]
	})
}

// checkComposeGrafana checks the compose Grafana service against deploy/grafana and the
// ClickHouse service it reads.
func checkComposeGrafana(r *Repo, s *ComposeService, byHost func(string) *ComposeService) []error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: service %s: "+format, append([]any{ComposePath, s.Name}, a...)...))
	}
	plugins := s.Environment["GF_PLUGINS_PREINSTALL_SYNC"] + "," + s.Environment["GF_PLUGINS_PREINSTALL"] + "," + s.Environment["GF_INSTALL_PLUGINS"]
	if !strings.Contains(plugins, ClickHousePlugin) {
		fail("does not install the %s plugin (GF_PLUGINS_PREINSTALL_SYNC)", ClickHousePlugin)
	}
	// mounts: repository path -> path in the container
	mounts := map[string]string{}
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && strings.HasPrefix(parts[0], ".") {
			mounts[path.Join(path.Dir(ComposePath), parts[0])] = parts[1]
		}
	}
	for repoPath, want := range map[string]string{
		GrafanaDatasourcesDir: "/etc/grafana/provisioning/datasources",
		GrafanaProvidersDir:   "/etc/grafana/provisioning/dashboards",
	} {
		if mounts[repoPath] != want {
			fail("%s must be mounted at %s", repoPath, want)
		}
	}
	g, gerrs := LoadGrafana(r)
	errs = append(errs, gerrs...)
	for _, p := range g.ProviderPaths {
		if mounts[GrafanaDashboardsDir] != p {
			fail("the dashboard provider reads %s, but %s is mounted at %q", p, GrafanaDashboardsDir, mounts[GrafanaDashboardsDir])
		}
	}
	if home := s.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]; home != "" {
		rel, ok := strings.CutPrefix(home, mounts[GrafanaDashboardsDir]+"/")
		if _, err := fs.Stat(r.FS, path.Join(GrafanaDashboardsDir, rel)); !ok || err != nil {
			fail("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH %s is not a mounted dashboard", home)
		}
	}
	for _, ds := range g.Datasources {
		host := expandGrafanaEnv(ds.JSONData["host"], s.Environment)
		ch := byHost(host)
		if ch == nil || imageName(ch.Image) != "clickhouse/clickhouse-server" {
			fail("data source %q: host %q is not a ClickHouse service", ds.Name, host)
			continue
		}
		if _, ok := s.DependsOn[ch.Name]; !ok {
			fail("does not depend on %s, which its data source reads", ch.Name)
		}
		for field, chEnv := range map[string]string{"username": "CLICKHOUSE_USER", "defaultDatabase": "CLICKHOUSE_DB"} {
			if got := expandGrafanaEnv(ds.JSONData[field], s.Environment); got != ch.Environment[chEnv] {
				fail("data source %q: %s %q, but %s has %s %q", ds.Name, field, got, ch.Name, chEnv, ch.Environment[chEnv])
			}
		}
		if got := expandGrafanaEnv(ds.SecureJSONData["password"], s.Environment); got != ch.Environment["CLICKHOUSE_PASSWORD"] {
			fail("data source %q: the password is not %s's CLICKHOUSE_PASSWORD", ds.Name, ch.Name)
		}
	}
	return errs
}
