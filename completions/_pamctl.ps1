
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pamctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pamctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pamctl' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run the broker: the REST API, the session engine and its store')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a server and save the login as a profile')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke the token and forget it')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who the current token belongs to')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Activities you may request')
            [CompletionResult]::new('resource', 'resource', [CompletionResultType]::ParameterValue, 'Managed resources (hosts, databases) you may request activities on')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Activity sessions: request, list, wait for, extend, lock, end, and read their logs')
            [CompletionResult]::new('approval', 'approval', [CompletionResultType]::ParameterValue, 'Approvals: list the requests waiting for your decision, approve or deny them')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Bearer tokens (admins): list the live ones, revoke them by ID or by user')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The tamper-evident audit trail: list it (admins), verify its hash chain offline')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Saved logins: list them, pick the current one, show one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a static shell completion script (see also `COMPLETE=bash pamctl`)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (pamctl.1 and one per command) into a directory')
            [CompletionResult]::new('hash-secret', 'hash-secret', [CompletionResultType]::ParameterValue, 'Hash a password or API key (read from stdin) for the server''s configuration file')
            [CompletionResult]::new('generate-assets', 'generate-assets', [CompletionResultType]::ParameterValue, 'Regenerate the committed completions/ and man/ (for developers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;server' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE (default: database.url in the configuration, else pamctl.db in the data dir)')
            [CompletionResult]::new('--database-password', '--database-password', [CompletionResultType]::ParameterName, 'Where the PostgreSQL password is: file:PATH (its first line) or env:NAME (default: database.password in the configuration)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)')
            [CompletionResult]::new('--dev-postgres', '--dev-postgres', [CompletionResultType]::ParameterName, 'With --dev: make db01 a real PostgreSQL target at this URL (postgres://USER@HOST:PORT/DATABASE; admin password in $PAMCTL_DEV_POSTGRES_PASSWORD)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format on stderr')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate chain (PEM)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key (PEM) for --tls-cert')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Seed demo data and sign the local CLI in as admin (profile ''dev'')')
            [CompletionResult]::new('--manual-clock', '--manual-clock', [CompletionResultType]::ParameterName, 'For tests: the broker''s clock stands still until an admin moves it with POST /api/v1/Test/Clock')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;login' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user (or application) name; without it a login with no --server signs in again as the profile''s user, and otherwise it is asked for on a terminal')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code from your authenticator app, for accounts with MFA')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (one line) instead of asking for it')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Sign in as an application: read its API key from stdin')
            [CompletionResult]::new('--keep-current', '--keep-current', [CompletionResultType]::ParameterName, 'Save the profile without making it the current one (when there is a current one)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;logout' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;whoami' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;activity' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the activities you may request (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;activity;list' {
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only activities whose name, description or platform contains TEXT (any case)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the full IDs, one per line (for scripts)')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Print only the full IDs, one per line (for scripts)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;activity;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the activities you may request (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;activity;help;list' {
            break
        }
        'pamctl;activity;help;help' {
            break
        }
        'pamctl;resource' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the resources you may request activities on (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;resource;list' {
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'Only the resources this activity (name or id) may be requested on')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only resources whose name, display name, platform or address contains TEXT')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the full IDs, one per line (for scripts)')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Print only the full IDs, one per line (for scripts)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;resource;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the resources you may request activities on (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;resource;help;list' {
            break
        }
        'pamctl;resource;help;help' {
            break
        }
        'pamctl;session' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Request an activity on one or more resources')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sessions: those not finished yet, or with --history all of them')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one session in full')
            [CompletionResult]::new('end', 'end', [CompletionResultType]::ParameterValue, 'End sessions: before they are Available they become Cancelled, after it Canceling')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock sessions (admins): they stay active, but the user may not work in them')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Unlock locked sessions (admins)')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Move a session''s end time later, where its policy allows extension')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a session''s log: every transition, action run, lock, extension and end')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Close a session whose end action keeps failing (admins only), once the access is gone')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Let other users read a session: its details, log and activity log')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a session is available, logged in or complete')
            [CompletionResult]::new('password', 'password', [CompletionResultType]::ParameterValue, 'Print the password of your live database session (or copy it with --copy)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Open psql (or $PAMCTL_PSQL) on your live database session as its role')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a SQL statement in your live database session, as its role, and show the result')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Show a session''s activity log: the statements run in it through the broker')
            [CompletionResult]::new('rerun', 'rerun', [CompletionResultType]::ParameterValue, 'Run a statement of the activity log again in your live session')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;session;create' {
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'The activity to request (name or ID), as `pamctl activity list` shows')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'A resource to request it on (name or ID); repeat for a session group')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Why you need it (shown to approvers and in the session log)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why you need it (shown to approvers and in the session log)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'A change or incident ticket to record with the session')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'When to start: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or +DUR [default: now]')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'How long it lasts from its start: 90s, 30m, 2h, 1h30m [default: the policy maximum]')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'When it ends (same forms as --start)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after this long (exit 7) [default: no limit]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every session is Available (or Logged In), through approval, printing state changes and approvals on stderr (a spinner on a terminal); exit 6 if one ends otherwise')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Ask for everything in a wizard (needs a terminal); --activity, --resource, --note and --ticket fill in its first answers, --wait skips its last question')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Ask for everything in a wizard (needs a terminal); --activity, --resource, --note and --ticket fill in its first answers, --wait skips its last question')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only the sessions of this user (user name or display name, any case)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only sessions on this resource (name or display name, any case)')
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'Only sessions of this activity (name, any case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only sessions whose time span reaches past WHEN')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only sessions whose time span begins before WHEN')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Sort by this column, ascending unless --desc [default: newest request first]')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N sessions; 0 shows all. The table (and JSON on a terminal) shows 50 unless told; -q, and JSON into a pipe or file, give every match unless told')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Redraw the table every SECS seconds on a terminal until Ctrl-C')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only your own sessions')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Include finished sessions (Complete, Failed, Cancelled, Denied, Approval Failed)')
            [CompletionResult]::new('--desc', '--desc', [CompletionResultType]::ParameterName, 'Sort in descending order')
            [CompletionResult]::new('--asc', '--asc', [CompletionResultType]::ParameterName, 'Sort in ascending order (with no --sort: oldest request first)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the full IDs of every match, one per line (to pipe into `session end -`)')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Print only the full IDs of every match, one per line (to pipe into `session end -`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;end' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only the sessions of this user (user name or display name, any case)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only sessions on this resource (name or display name, any case)')
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'Only sessions of this activity (name, any case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only sessions whose time span reaches past WHEN')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only sessions whose time span begins before WHEN')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only your own sessions')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Act on every session the filters match without asking (needed off a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Act on every session the filters match without asking (needed off a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be acted on, and do nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;lock' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only the sessions of this user (user name or display name, any case)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only sessions on this resource (name or display name, any case)')
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'Only sessions of this activity (name, any case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only sessions whose time span reaches past WHEN')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only sessions whose time span begins before WHEN')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'A short reason, shown to the user and in the session log')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A longer explanation')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only your own sessions')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Act on every session the filters match without asking (needed off a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Act on every session the filters match without asking (needed off a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be acted on, and do nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;unlock' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only the sessions of this user (user name or display name, any case)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only sessions on this resource (name or display name, any case)')
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'Only sessions of this activity (name, any case)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only sessions whose time span reaches past WHEN')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only sessions whose time span begins before WHEN')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--mine', '--mine', [CompletionResultType]::ParameterName, 'Only your own sessions')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Act on every session the filters match without asking (needed off a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Act on every session the filters match without asking (needed off a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be acted on, and do nothing')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;extend' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'How much longer: 30m, 1h, 1h30m (rounded up to whole minutes)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;logs' {
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only lines of this level and above')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only lines from WHEN on: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only lines up to WHEN: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only lines containing TEXT (any case)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Write the session''s details, its log and its activity log (statements) to FILE instead of printing the log: JSON, or text for a name ending in .txt (the filters above apply to the log)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines (checking every second) until the session is finished')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines (checking every second) until the session is finished')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;resolve' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'What was done about the access (required; it goes to the session''s log)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;share' {
            [CompletionResult]::new('--with', '--with', [CompletionResultType]::ParameterName, 'The user to share it with, by login name (repeat it for several)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;wait' {
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'What to wait for (Logged In also satisfies available)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 7): 90s, 30m, 2h, 1h30m [default: no limit]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;password' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--copy', '--copy', [CompletionResultType]::ParameterName, 'Copy it to the clipboard (wl-copy, xclip, xsel or pbcopy) instead of printing it')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;connect' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;exec' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read the statement from FILE')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read the statement from FILE')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after this long (exit 7) [default: no limit]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow a statement held for review until it is decided and has run')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;activity' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;rerun' {
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after this long (exit 7) [default: no limit]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Follow a statement held for review until it is decided and has run')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;session;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Request an activity on one or more resources')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sessions: those not finished yet, or with --history all of them')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one session in full')
            [CompletionResult]::new('end', 'end', [CompletionResultType]::ParameterValue, 'End sessions: before they are Available they become Cancelled, after it Canceling')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock sessions (admins): they stay active, but the user may not work in them')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Unlock locked sessions (admins)')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Move a session''s end time later, where its policy allows extension')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a session''s log: every transition, action run, lock, extension and end')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Close a session whose end action keeps failing (admins only), once the access is gone')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Let other users read a session: its details, log and activity log')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a session is available, logged in or complete')
            [CompletionResult]::new('password', 'password', [CompletionResultType]::ParameterValue, 'Print the password of your live database session (or copy it with --copy)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Open psql (or $PAMCTL_PSQL) on your live database session as its role')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a SQL statement in your live database session, as its role, and show the result')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Show a session''s activity log: the statements run in it through the broker')
            [CompletionResult]::new('rerun', 'rerun', [CompletionResultType]::ParameterValue, 'Run a statement of the activity log again in your live session')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;session;help;create' {
            break
        }
        'pamctl;session;help;list' {
            break
        }
        'pamctl;session;help;show' {
            break
        }
        'pamctl;session;help;end' {
            break
        }
        'pamctl;session;help;lock' {
            break
        }
        'pamctl;session;help;unlock' {
            break
        }
        'pamctl;session;help;extend' {
            break
        }
        'pamctl;session;help;logs' {
            break
        }
        'pamctl;session;help;resolve' {
            break
        }
        'pamctl;session;help;share' {
            break
        }
        'pamctl;session;help;wait' {
            break
        }
        'pamctl;session;help;password' {
            break
        }
        'pamctl;session;help;connect' {
            break
        }
        'pamctl;session;help;exec' {
            break
        }
        'pamctl;session;help;activity' {
            break
        }
        'pamctl;session;help;rerun' {
            break
        }
        'pamctl;session;help;help' {
            break
        }
        'pamctl;approval' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the requests waiting for your decision')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve requests waiting for your decision')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny requests waiting for your decision: they end as Denied, with your reason')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;approval;list' {
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only requests whose user, resource, activity, note, ticket or status contain TEXT (and held statements whose SQL, requester, resource or activity do)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the full IDs, one per line (to pipe into `approval approve -`)')
            [CompletionResult]::new('--ids', '--ids', [CompletionResultType]::ParameterName, 'Print only the full IDs, one per line (to pipe into `approval approve -`)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;approval;approve' {
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note recorded with your approval (in the session and its log)')
            [CompletionResult]::new('--statement', '--statement', [CompletionResultType]::ParameterName, 'Approve the session''s statement held for review with this activity log entry (one session ID): it then runs once, through the broker')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Decide on several requests (or `-`) without asking (needed off a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Decide on several requests (or `-`) without asking (needed off a terminal)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;approval;deny' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (required): recorded on the session and in its log, for the requester to read')
            [CompletionResult]::new('--statement', '--statement', [CompletionResultType]::ParameterName, 'Deny the session''s statement held for review with this activity log entry (one session ID): it never runs, and the session goes on')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Decide on several requests (or `-`) without asking (needed off a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Decide on several requests (or `-`) without asking (needed off a terminal)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;approval;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the requests waiting for your decision')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve requests waiting for your decision')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny requests waiting for your decision: they end as Denied, with your reason')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;approval;help;list' {
            break
        }
        'pamctl;approval;help;approve' {
            break
        }
        'pamctl;approval;help;deny' {
            break
        }
        'pamctl;approval;help;help' {
            break
        }
        'pamctl;token' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the live tokens (admins): who holds them, from where, until when')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke tokens (admins): by ID, or every token of a user')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;token;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only the tokens of this user or application')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;token;revoke' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Revoke every token of this user or application')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask (needed off a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask (needed off a terminal)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;token;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the live tokens (admins): who holds them, from where, until when')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke tokens (admins): by ID, or every token of a user')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;token;help;list' {
            break
        }
        'pamctl;token;help;revoke' {
            break
        }
        'pamctl;token;help;help' {
            break
        }
        'pamctl;audit' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit trail''s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;audit;list' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only what this account did (or the login a failed sign-in tried), any case')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action (sign_in, session.end, refused…), or a family of them (session)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records from this time on')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only records up to this time')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Only records about this session (its full ID)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many records (1 to 1000)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;audit;verify' {
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'The database: a SQLite file (path or sqlite://PATH) or postgres://USER@HOST/DB')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The chain''s key when the broker has `[audit] key`: file:PATH or env:NAME')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;audit;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit trail''s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;audit;help;list' {
            break
        }
        'pamctl;audit;help;verify' {
            break
        }
        'pamctl;audit;help;help' {
            break
        }
        'pamctl;profile' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved profiles; the current one is marked with *')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the current one, used by every command without --profile')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a profile (default: the current one): server, user, TLS settings, token expiry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;profile;list' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the names, one per line')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Print only the names, one per line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;profile;use' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;profile;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;profile;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved profiles; the current one is marked with *')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the current one, used by every command without --profile')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a profile (default: the current one): server, user, TLS settings, token expiry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;profile;help;list' {
            break
        }
        'pamctl;profile;help;use' {
            break
        }
        'pamctl;profile;help;show' {
            break
        }
        'pamctl;profile;help;help' {
            break
        }
        'pamctl;completions' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The directory to write the pages to (created if missing); without it, pamctl.1 is printed on stdout')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;hash-secret' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;generate-assets' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The repository root to write completions/ and man/ under')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal')
            [CompletionResult]::new('--utc', '--utc', [CompletionResultType]::ParameterName, 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;help' {
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run the broker: the REST API, the session engine and its store')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a server and save the login as a profile')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke the token and forget it')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who the current token belongs to')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Activities you may request')
            [CompletionResult]::new('resource', 'resource', [CompletionResultType]::ParameterValue, 'Managed resources (hosts, databases) you may request activities on')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Activity sessions: request, list, wait for, extend, lock, end, and read their logs')
            [CompletionResult]::new('approval', 'approval', [CompletionResultType]::ParameterValue, 'Approvals: list the requests waiting for your decision, approve or deny them')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Bearer tokens (admins): list the live ones, revoke them by ID or by user')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The tamper-evident audit trail: list it (admins), verify its hash chain offline')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Saved logins: list them, pick the current one, show one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a static shell completion script (see also `COMPLETE=bash pamctl`)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (pamctl.1 and one per command) into a directory')
            [CompletionResult]::new('hash-secret', 'hash-secret', [CompletionResultType]::ParameterValue, 'Hash a password or API key (read from stdin) for the server''s configuration file')
            [CompletionResult]::new('generate-assets', 'generate-assets', [CompletionResultType]::ParameterValue, 'Regenerate the committed completions/ and man/ (for developers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;help;server' {
            break
        }
        'pamctl;help;login' {
            break
        }
        'pamctl;help;logout' {
            break
        }
        'pamctl;help;whoami' {
            break
        }
        'pamctl;help;activity' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the activities you may request (admins see all)')
            break
        }
        'pamctl;help;activity;list' {
            break
        }
        'pamctl;help;resource' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the resources you may request activities on (admins see all)')
            break
        }
        'pamctl;help;resource;list' {
            break
        }
        'pamctl;help;session' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Request an activity on one or more resources')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sessions: those not finished yet, or with --history all of them')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one session in full')
            [CompletionResult]::new('end', 'end', [CompletionResultType]::ParameterValue, 'End sessions: before they are Available they become Cancelled, after it Canceling')
            [CompletionResult]::new('lock', 'lock', [CompletionResultType]::ParameterValue, 'Lock sessions (admins): they stay active, but the user may not work in them')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Unlock locked sessions (admins)')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Move a session''s end time later, where its policy allows extension')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a session''s log: every transition, action run, lock, extension and end')
            [CompletionResult]::new('resolve', 'resolve', [CompletionResultType]::ParameterValue, 'Close a session whose end action keeps failing (admins only), once the access is gone')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Let other users read a session: its details, log and activity log')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a session is available, logged in or complete')
            [CompletionResult]::new('password', 'password', [CompletionResultType]::ParameterValue, 'Print the password of your live database session (or copy it with --copy)')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Open psql (or $PAMCTL_PSQL) on your live database session as its role')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a SQL statement in your live database session, as its role, and show the result')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Show a session''s activity log: the statements run in it through the broker')
            [CompletionResult]::new('rerun', 'rerun', [CompletionResultType]::ParameterValue, 'Run a statement of the activity log again in your live session')
            break
        }
        'pamctl;help;session;create' {
            break
        }
        'pamctl;help;session;list' {
            break
        }
        'pamctl;help;session;show' {
            break
        }
        'pamctl;help;session;end' {
            break
        }
        'pamctl;help;session;lock' {
            break
        }
        'pamctl;help;session;unlock' {
            break
        }
        'pamctl;help;session;extend' {
            break
        }
        'pamctl;help;session;logs' {
            break
        }
        'pamctl;help;session;resolve' {
            break
        }
        'pamctl;help;session;share' {
            break
        }
        'pamctl;help;session;wait' {
            break
        }
        'pamctl;help;session;password' {
            break
        }
        'pamctl;help;session;connect' {
            break
        }
        'pamctl;help;session;exec' {
            break
        }
        'pamctl;help;session;activity' {
            break
        }
        'pamctl;help;session;rerun' {
            break
        }
        'pamctl;help;approval' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the requests waiting for your decision')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve requests waiting for your decision')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny requests waiting for your decision: they end as Denied, with your reason')
            break
        }
        'pamctl;help;approval;list' {
            break
        }
        'pamctl;help;approval;approve' {
            break
        }
        'pamctl;help;approval;deny' {
            break
        }
        'pamctl;help;token' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the live tokens (admins): who holds them, from where, until when')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke tokens (admins): by ID, or every token of a user')
            break
        }
        'pamctl;help;token;list' {
            break
        }
        'pamctl;help;token;revoke' {
            break
        }
        'pamctl;help;audit' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the audit trail''s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1')
            break
        }
        'pamctl;help;audit;list' {
            break
        }
        'pamctl;help;audit;verify' {
            break
        }
        'pamctl;help;profile' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the saved profiles; the current one is marked with *')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a profile the current one, used by every command without --profile')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a profile (default: the current one): server, user, TLS settings, token expiry')
            break
        }
        'pamctl;help;profile;list' {
            break
        }
        'pamctl;help;profile;use' {
            break
        }
        'pamctl;help;profile;show' {
            break
        }
        'pamctl;help;completions' {
            break
        }
        'pamctl;help;man' {
            break
        }
        'pamctl;help;hash-secret' {
            break
        }
        'pamctl;help;generate-assets' {
            break
        }
        'pamctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
