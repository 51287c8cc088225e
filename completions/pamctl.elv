
use builtin;
use str;

set edit:completion:arg-completer[pamctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pamctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pamctl'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand server 'Run the broker: the REST API, the session engine and its store'
            cand login 'Sign in to a server and save the login as a profile'
            cand logout 'Sign out: revoke the token and forget it'
            cand whoami 'Show who the current token belongs to'
            cand activity 'Activities you may request'
            cand resource 'Managed resources (hosts, databases) you may request activities on'
            cand session 'Activity sessions: request, list, wait for, extend, lock, end, and read their logs'
            cand approval 'Approvals: list the requests waiting for your decision, approve or deny them'
            cand token 'Bearer tokens (admins): list the live ones, revoke them by ID or by user'
            cand audit 'The tamper-evident audit trail: list it (admins), verify its hash chain offline'
            cand profile 'Saved logins: list them, pick the current one, show one'
            cand completions 'Print a static shell completion script (see also `COMPLETE=bash pamctl`)'
            cand man 'Write the man pages (pamctl.1 and one per command) into a directory'
            cand hash-secret 'Hash a password or API key (read from stdin) for the server''s configuration file'
            cand generate-assets 'Regenerate the committed completions/ and man/ (for developers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;server'= {
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --data-dir 'Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)'
            cand --database 'Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE (default: database.url in the configuration, else pamctl.db in the data dir)'
            cand --database-password 'Where the PostgreSQL password is: file:PATH (its first line) or env:NAME (default: database.password in the configuration)'
            cand --config 'Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)'
            cand --dev-postgres 'With --dev: make db01 a real PostgreSQL target at this URL (postgres://USER@HOST:PORT/DATABASE; admin password in $PAMCTL_DEV_POSTGRES_PASSWORD)'
            cand --log-format 'Log format on stderr'
            cand --tls-cert 'Serve HTTPS with this certificate chain (PEM)'
            cand --tls-key 'The private key (PEM) for --tls-cert'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --dev 'Seed demo data and sign the local CLI in as admin (profile ''dev'')'
            cand --manual-clock 'For tests: the broker''s clock stands still until an admin moves it with POST /api/v1/Test/Clock'
            cand --allow-plain-http 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;login'= {
            cand --user 'The user (or application) name; without it a login with no --server signs in again as the profile''s user, and otherwise it is asked for on a terminal'
            cand --mfa-code 'The current code from your authenticator app, for accounts with MFA'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --password-stdin 'Read the password from stdin (one line) instead of asking for it'
            cand --api-key-stdin 'Sign in as an application: read its API key from stdin'
            cand --keep-current 'Save the profile without making it the current one (when there is a current one)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;logout'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;whoami'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;activity'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the activities you may request (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;activity;list'= {
            cand --search 'Only activities whose name, description or platform contains TEXT (any case)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -q 'Print only the full IDs, one per line (for scripts)'
            cand --ids 'Print only the full IDs, one per line (for scripts)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;activity;help'= {
            cand list 'List the activities you may request (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;activity;help;list'= {
        }
        &'pamctl;activity;help;help'= {
        }
        &'pamctl;resource'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the resources you may request activities on (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;resource;list'= {
            cand --activity 'Only the resources this activity (name or id) may be requested on'
            cand --search 'Only resources whose name, display name, platform or address contains TEXT'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -q 'Print only the full IDs, one per line (for scripts)'
            cand --ids 'Print only the full IDs, one per line (for scripts)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;resource;help'= {
            cand list 'List the resources you may request activities on (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;resource;help;list'= {
        }
        &'pamctl;resource;help;help'= {
        }
        &'pamctl;session'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Request an activity on one or more resources'
            cand list 'List sessions: those not finished yet, or with --history all of them'
            cand show 'Show one session in full'
            cand end 'End sessions: before they are Available they become Cancelled, after it Canceling'
            cand lock 'Lock sessions (admins): they stay active, but the user may not work in them'
            cand unlock 'Unlock locked sessions (admins)'
            cand extend 'Move a session''s end time later, where its policy allows extension'
            cand logs 'Print a session''s log: every transition, action run, lock, extension and end'
            cand resolve 'Close a session whose end action keeps failing (admins only), once the access is gone'
            cand share 'Let other users read a session: its details, log and activity log'
            cand wait 'Wait until a session is available, logged in or complete'
            cand password 'Print the password of your live database session (or copy it with --copy)'
            cand connect 'Open psql (or $PAMCTL_PSQL) on your live database session as its role'
            cand exec 'Run a SQL statement in your live database session, as its role, and show the result'
            cand activity 'Show a session''s activity log: the statements run in it through the broker'
            cand rerun 'Run a statement of the activity log again in your live session'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;session;create'= {
            cand --activity 'The activity to request (name or ID), as `pamctl activity list` shows'
            cand --resource 'A resource to request it on (name or ID); repeat for a session group'
            cand --note 'Why you need it (shown to approvers and in the session log)'
            cand --reason 'Why you need it (shown to approvers and in the session log)'
            cand --ticket 'A change or incident ticket to record with the session'
            cand --start 'When to start: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or +DUR [default: now]'
            cand --duration 'How long it lasts from its start: 90s, 30m, 2h, 1h30m [default: the policy maximum]'
            cand --end 'When it ends (same forms as --start)'
            cand --wait-timeout 'With --wait: give up after this long (exit 7) [default: no limit]'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --wait 'Wait until every session is Available (or Logged In), through approval, printing state changes and approvals on stderr (a spinner on a terminal); exit 6 if one ends otherwise'
            cand -i 'Ask for everything in a wizard (needs a terminal); --activity, --resource, --note and --ticket fill in its first answers, --wait skips its last question'
            cand --interactive 'Ask for everything in a wizard (needs a terminal); --activity, --resource, --note and --ticket fill in its first answers, --wait skips its last question'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;list'= {
            cand --status 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed'
            cand --user 'Only the sessions of this user (user name or display name, any case)'
            cand --resource 'Only sessions on this resource (name or display name, any case)'
            cand --activity 'Only sessions of this activity (name, any case)'
            cand --type 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case'
            cand --since 'Only sessions whose time span reaches past WHEN'
            cand --until 'Only sessions whose time span begins before WHEN'
            cand --search 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT'
            cand --sort 'Sort by this column, ascending unless --desc [default: newest request first]'
            cand --limit 'Show at most N sessions; 0 shows all. The table (and JSON on a terminal) shows 50 unless told; -q, and JSON into a pipe or file, give every match unless told'
            cand --watch 'Redraw the table every SECS seconds on a terminal until Ctrl-C'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --mine 'Only your own sessions'
            cand --history 'Include finished sessions (Complete, Failed, Cancelled, Denied, Approval Failed)'
            cand --desc 'Sort in descending order'
            cand --asc 'Sort in ascending order (with no --sort: oldest request first)'
            cand -q 'Print only the full IDs of every match, one per line (to pipe into `session end -`)'
            cand --ids 'Print only the full IDs of every match, one per line (to pipe into `session end -`)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;show'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;end'= {
            cand --status 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed'
            cand --user 'Only the sessions of this user (user name or display name, any case)'
            cand --resource 'Only sessions on this resource (name or display name, any case)'
            cand --activity 'Only sessions of this activity (name, any case)'
            cand --type 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case'
            cand --since 'Only sessions whose time span reaches past WHEN'
            cand --until 'Only sessions whose time span begins before WHEN'
            cand --search 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --mine 'Only your own sessions'
            cand -y 'Act on every session the filters match without asking (needed off a terminal)'
            cand --yes 'Act on every session the filters match without asking (needed off a terminal)'
            cand --dry-run 'Print what would be acted on, and do nothing'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;lock'= {
            cand --status 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed'
            cand --user 'Only the sessions of this user (user name or display name, any case)'
            cand --resource 'Only sessions on this resource (name or display name, any case)'
            cand --activity 'Only sessions of this activity (name, any case)'
            cand --type 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case'
            cand --since 'Only sessions whose time span reaches past WHEN'
            cand --until 'Only sessions whose time span begins before WHEN'
            cand --search 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT'
            cand --title 'A short reason, shown to the user and in the session log'
            cand --message 'A longer explanation'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --mine 'Only your own sessions'
            cand -y 'Act on every session the filters match without asking (needed off a terminal)'
            cand --yes 'Act on every session the filters match without asking (needed off a terminal)'
            cand --dry-run 'Print what would be acted on, and do nothing'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;unlock'= {
            cand --status 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed'
            cand --user 'Only the sessions of this user (user name or display name, any case)'
            cand --resource 'Only sessions on this resource (name or display name, any case)'
            cand --activity 'Only sessions of this activity (name, any case)'
            cand --type 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform''s name (PostgreSQL, "Microsoft SQL Server", ...), any case'
            cand --since 'Only sessions whose time span reaches past WHEN'
            cand --until 'Only sessions whose time span begins before WHEN'
            cand --search 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --mine 'Only your own sessions'
            cand -y 'Act on every session the filters match without asking (needed off a terminal)'
            cand --yes 'Act on every session the filters match without asking (needed off a terminal)'
            cand --dry-run 'Print what would be acted on, and do nothing'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;extend'= {
            cand --by 'How much longer: 30m, 1h, 1h30m (rounded up to whole minutes)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;logs'= {
            cand --level 'Only lines of this level and above'
            cand --since 'Only lines from WHEN on: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR'
            cand --until 'Only lines up to WHEN: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR'
            cand --search 'Only lines containing TEXT (any case)'
            cand --download 'Write the session''s details, its log and its activity log (statements) to FILE instead of printing the log: JSON, or text for a name ending in .txt (the filters above apply to the log)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -f 'Keep printing new lines (checking every second) until the session is finished'
            cand --follow 'Keep printing new lines (checking every second) until the session is finished'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;resolve'= {
            cand --note 'What was done about the access (required; it goes to the session''s log)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;share'= {
            cand --with 'The user to share it with, by login name (repeat it for several)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;wait'= {
            cand --for 'What to wait for (Logged In also satisfies available)'
            cand --timeout 'Give up after this long (exit 7): 90s, 30m, 2h, 1h30m [default: no limit]'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;password'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --copy 'Copy it to the clipboard (wl-copy, xclip, xsel or pbcopy) instead of printing it'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;connect'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;exec'= {
            cand -f 'Read the statement from FILE'
            cand --file 'Read the statement from FILE'
            cand --wait-timeout 'With --wait: give up after this long (exit 7) [default: no limit]'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --wait 'Follow a statement held for review until it is decided and has run'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;activity'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;rerun'= {
            cand --wait-timeout 'With --wait: give up after this long (exit 7) [default: no limit]'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --wait 'Follow a statement held for review until it is decided and has run'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;session;help'= {
            cand create 'Request an activity on one or more resources'
            cand list 'List sessions: those not finished yet, or with --history all of them'
            cand show 'Show one session in full'
            cand end 'End sessions: before they are Available they become Cancelled, after it Canceling'
            cand lock 'Lock sessions (admins): they stay active, but the user may not work in them'
            cand unlock 'Unlock locked sessions (admins)'
            cand extend 'Move a session''s end time later, where its policy allows extension'
            cand logs 'Print a session''s log: every transition, action run, lock, extension and end'
            cand resolve 'Close a session whose end action keeps failing (admins only), once the access is gone'
            cand share 'Let other users read a session: its details, log and activity log'
            cand wait 'Wait until a session is available, logged in or complete'
            cand password 'Print the password of your live database session (or copy it with --copy)'
            cand connect 'Open psql (or $PAMCTL_PSQL) on your live database session as its role'
            cand exec 'Run a SQL statement in your live database session, as its role, and show the result'
            cand activity 'Show a session''s activity log: the statements run in it through the broker'
            cand rerun 'Run a statement of the activity log again in your live session'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;session;help;create'= {
        }
        &'pamctl;session;help;list'= {
        }
        &'pamctl;session;help;show'= {
        }
        &'pamctl;session;help;end'= {
        }
        &'pamctl;session;help;lock'= {
        }
        &'pamctl;session;help;unlock'= {
        }
        &'pamctl;session;help;extend'= {
        }
        &'pamctl;session;help;logs'= {
        }
        &'pamctl;session;help;resolve'= {
        }
        &'pamctl;session;help;share'= {
        }
        &'pamctl;session;help;wait'= {
        }
        &'pamctl;session;help;password'= {
        }
        &'pamctl;session;help;connect'= {
        }
        &'pamctl;session;help;exec'= {
        }
        &'pamctl;session;help;activity'= {
        }
        &'pamctl;session;help;rerun'= {
        }
        &'pamctl;session;help;help'= {
        }
        &'pamctl;approval'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the requests waiting for your decision'
            cand approve 'Approve requests waiting for your decision'
            cand deny 'Deny requests waiting for your decision: they end as Denied, with your reason'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;approval;list'= {
            cand --search 'Only requests whose user, resource, activity, note, ticket or status contain TEXT (and held statements whose SQL, requester, resource or activity do)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -q 'Print only the full IDs, one per line (to pipe into `approval approve -`)'
            cand --ids 'Print only the full IDs, one per line (to pipe into `approval approve -`)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;approval;approve'= {
            cand --note 'A note recorded with your approval (in the session and its log)'
            cand --statement 'Approve the session''s statement held for review with this activity log entry (one session ID): it then runs once, through the broker'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -y 'Decide on several requests (or `-`) without asking (needed off a terminal)'
            cand --yes 'Decide on several requests (or `-`) without asking (needed off a terminal)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;approval;deny'= {
            cand --reason 'Why (required): recorded on the session and in its log, for the requester to read'
            cand --statement 'Deny the session''s statement held for review with this activity log entry (one session ID): it never runs, and the session goes on'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -y 'Decide on several requests (or `-`) without asking (needed off a terminal)'
            cand --yes 'Decide on several requests (or `-`) without asking (needed off a terminal)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;approval;help'= {
            cand list 'List the requests waiting for your decision'
            cand approve 'Approve requests waiting for your decision'
            cand deny 'Deny requests waiting for your decision: they end as Denied, with your reason'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;approval;help;list'= {
        }
        &'pamctl;approval;help;approve'= {
        }
        &'pamctl;approval;help;deny'= {
        }
        &'pamctl;approval;help;help'= {
        }
        &'pamctl;token'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the live tokens (admins): who holds them, from where, until when'
            cand revoke 'Revoke tokens (admins): by ID, or every token of a user'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;token;list'= {
            cand --user 'Only the tokens of this user or application'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;token;revoke'= {
            cand --user 'Revoke every token of this user or application'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -y 'Do not ask (needed off a terminal)'
            cand --yes 'Do not ask (needed off a terminal)'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;token;help'= {
            cand list 'List the live tokens (admins): who holds them, from where, until when'
            cand revoke 'Revoke tokens (admins): by ID, or every token of a user'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;token;help;list'= {
        }
        &'pamctl;token;help;revoke'= {
        }
        &'pamctl;token;help;help'= {
        }
        &'pamctl;audit'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)'
            cand verify 'Check the audit trail''s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;audit;list'= {
            cand --user 'Only what this account did (or the login a failed sign-in tried), any case'
            cand --action 'Only this action (sign_in, session.end, refused…), or a family of them (session)'
            cand --since 'Only records from this time on'
            cand --until 'Only records up to this time'
            cand --session 'Only records about this session (its full ID)'
            cand --limit 'At most this many records (1 to 1000)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;audit;verify'= {
            cand --database 'The database: a SQLite file (path or sqlite://PATH) or postgres://USER@HOST/DB'
            cand --key 'The chain''s key when the broker has `[audit] key`: file:PATH or env:NAME'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;audit;help'= {
            cand list 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)'
            cand verify 'Check the audit trail''s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;audit;help;list'= {
        }
        &'pamctl;audit;help;verify'= {
        }
        &'pamctl;audit;help;help'= {
        }
        &'pamctl;profile'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the saved profiles; the current one is marked with *'
            cand use 'Make a profile the current one, used by every command without --profile'
            cand show 'Show a profile (default: the current one): server, user, TLS settings, token expiry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;profile;list'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand -q 'Print only the names, one per line'
            cand --names 'Print only the names, one per line'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;profile;use'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;profile;show'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;profile;help'= {
            cand list 'List the saved profiles; the current one is marked with *'
            cand use 'Make a profile the current one, used by every command without --profile'
            cand show 'Show a profile (default: the current one): server, user, TLS settings, token expiry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;profile;help;list'= {
        }
        &'pamctl;profile;help;use'= {
        }
        &'pamctl;profile;help;show'= {
        }
        &'pamctl;profile;help;help'= {
        }
        &'pamctl;completions'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;man'= {
            cand --dir 'The directory to write the pages to (created if missing); without it, pamctl.1 is printed on stdout'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;hash-secret'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;generate-assets'= {
            cand --dir 'The repository root to write completions/ and man/ under'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --output 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
            cand --utc 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;help'= {
            cand server 'Run the broker: the REST API, the session engine and its store'
            cand login 'Sign in to a server and save the login as a profile'
            cand logout 'Sign out: revoke the token and forget it'
            cand whoami 'Show who the current token belongs to'
            cand activity 'Activities you may request'
            cand resource 'Managed resources (hosts, databases) you may request activities on'
            cand session 'Activity sessions: request, list, wait for, extend, lock, end, and read their logs'
            cand approval 'Approvals: list the requests waiting for your decision, approve or deny them'
            cand token 'Bearer tokens (admins): list the live ones, revoke them by ID or by user'
            cand audit 'The tamper-evident audit trail: list it (admins), verify its hash chain offline'
            cand profile 'Saved logins: list them, pick the current one, show one'
            cand completions 'Print a static shell completion script (see also `COMPLETE=bash pamctl`)'
            cand man 'Write the man pages (pamctl.1 and one per command) into a directory'
            cand hash-secret 'Hash a password or API key (read from stdin) for the server''s configuration file'
            cand generate-assets 'Regenerate the committed completions/ and man/ (for developers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;help;server'= {
        }
        &'pamctl;help;login'= {
        }
        &'pamctl;help;logout'= {
        }
        &'pamctl;help;whoami'= {
        }
        &'pamctl;help;activity'= {
            cand list 'List the activities you may request (admins see all)'
        }
        &'pamctl;help;activity;list'= {
        }
        &'pamctl;help;resource'= {
            cand list 'List the resources you may request activities on (admins see all)'
        }
        &'pamctl;help;resource;list'= {
        }
        &'pamctl;help;session'= {
            cand create 'Request an activity on one or more resources'
            cand list 'List sessions: those not finished yet, or with --history all of them'
            cand show 'Show one session in full'
            cand end 'End sessions: before they are Available they become Cancelled, after it Canceling'
            cand lock 'Lock sessions (admins): they stay active, but the user may not work in them'
            cand unlock 'Unlock locked sessions (admins)'
            cand extend 'Move a session''s end time later, where its policy allows extension'
            cand logs 'Print a session''s log: every transition, action run, lock, extension and end'
            cand resolve 'Close a session whose end action keeps failing (admins only), once the access is gone'
            cand share 'Let other users read a session: its details, log and activity log'
            cand wait 'Wait until a session is available, logged in or complete'
            cand password 'Print the password of your live database session (or copy it with --copy)'
            cand connect 'Open psql (or $PAMCTL_PSQL) on your live database session as its role'
            cand exec 'Run a SQL statement in your live database session, as its role, and show the result'
            cand activity 'Show a session''s activity log: the statements run in it through the broker'
            cand rerun 'Run a statement of the activity log again in your live session'
        }
        &'pamctl;help;session;create'= {
        }
        &'pamctl;help;session;list'= {
        }
        &'pamctl;help;session;show'= {
        }
        &'pamctl;help;session;end'= {
        }
        &'pamctl;help;session;lock'= {
        }
        &'pamctl;help;session;unlock'= {
        }
        &'pamctl;help;session;extend'= {
        }
        &'pamctl;help;session;logs'= {
        }
        &'pamctl;help;session;resolve'= {
        }
        &'pamctl;help;session;share'= {
        }
        &'pamctl;help;session;wait'= {
        }
        &'pamctl;help;session;password'= {
        }
        &'pamctl;help;session;connect'= {
        }
        &'pamctl;help;session;exec'= {
        }
        &'pamctl;help;session;activity'= {
        }
        &'pamctl;help;session;rerun'= {
        }
        &'pamctl;help;approval'= {
            cand list 'List the requests waiting for your decision'
            cand approve 'Approve requests waiting for your decision'
            cand deny 'Deny requests waiting for your decision: they end as Denied, with your reason'
        }
        &'pamctl;help;approval;list'= {
        }
        &'pamctl;help;approval;approve'= {
        }
        &'pamctl;help;approval;deny'= {
        }
        &'pamctl;help;token'= {
            cand list 'List the live tokens (admins): who holds them, from where, until when'
            cand revoke 'Revoke tokens (admins): by ID, or every token of a user'
        }
        &'pamctl;help;token;list'= {
        }
        &'pamctl;help;token;revoke'= {
        }
        &'pamctl;help;audit'= {
            cand list 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)'
            cand verify 'Check the audit trail''s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1'
        }
        &'pamctl;help;audit;list'= {
        }
        &'pamctl;help;audit;verify'= {
        }
        &'pamctl;help;profile'= {
            cand list 'List the saved profiles; the current one is marked with *'
            cand use 'Make a profile the current one, used by every command without --profile'
            cand show 'Show a profile (default: the current one): server, user, TLS settings, token expiry'
        }
        &'pamctl;help;profile;list'= {
        }
        &'pamctl;help;profile;use'= {
        }
        &'pamctl;help;profile;show'= {
        }
        &'pamctl;help;completions'= {
        }
        &'pamctl;help;man'= {
        }
        &'pamctl;help;hash-secret'= {
        }
        &'pamctl;help;generate-assets'= {
        }
        &'pamctl;help;help'= {
        }
    ]
    $completions[$command]
}
