<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Finished (UTC)</source>
        <translation>Terminato (UTC)</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Databases</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>Tabelle</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Righe</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dimensione</translation>
    </message>
    <message>
        <source>full</source>
        <translation>completo</translation>
    </message>
    <message>
        <source>differential</source>
        <translation>differenziale</translation>
    </message>
    <message>
        <source>incremental</source>
        <translation>incrementale</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s) of SQL</source>
        <translation>
            <numerusform>%n byte di SQL</numerusform>
            <numerusform>%n byte di SQL</numerusform>
        </translation>
    </message>
    <message>
        <source>Backup:</source>
        <translation>Backup:</translation>
    </message>
    <message>
        <source>Finished:</source>
        <translation>Terminato:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Tipo:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Versione:</translation>
    </message>
    <message>
        <source>Consistency:</source>
        <translation>Coerenza:</translation>
    </message>
    <message>
        <source>Binlog:</source>
        <translation>Binlog:</translation>
    </message>
    <message>
        <source>global read lock, then one snapshot per connection</source>
        <translation>lock globale in lettura, poi uno snapshot per connessione</translation>
    </message>
    <message>
        <source>one consistent transaction on one connection</source>
        <translation>una transazione coerente su una sola connessione</translation>
    </message>
    <message>
        <source>not enabled on the server</source>
        <translation>non attivo sul server</translation>
    </message>
    <message>
        <source>Select a backup to see what it holds.</source>
        <translation>Selezionare un backup per vederne il contenuto.</translation>
    </message>
    <message>
        <source>Database / table</source>
        <translation>Database / tabella</translation>
    </message>
    <message>
        <source>Backup {id}: {databases}</source>
        <translation>Backup {id}: {databases}</translation>
    </message>
    <message numerus="yes">
        <source>%n database(s)</source>
        <translation>
            <numerusform>%n database</numerusform>
            <numerusform>%n database</numerusform>
        </translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inizio</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stato</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durata</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Messaggio</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Ultimi 7 giorni</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Ultimi 30 giorni</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Ultimi 90 giorni</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Tutto il periodo</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Tutti i job</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Qualsiasi stato</translation>
    </message>
    <message>
        <source>Search server, backup id, message…</source>
        <translation>Cerca server, ID del backup, messaggio…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Esporta CSV…</translation>
    </message>
    <message>
        <source>Select a job to see its details and log.</source>
        <translation>Selezionare un job per vederne i dettagli e il log.</translation>
    </message>
    <message>
        <source>All servers</source>
        <translation>Tutti i server</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n job</numerusform>
            <numerusform>%n job</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fallito</numerusform>
            <numerusform>%n falliti</numerusform>
        </translation>
    </message>
    <message>
        <source>Server: {server}</source>
        <translation>Server: {server}</translation>
    </message>
    <message>
        <source>Repository: {repository}</source>
        <translation>Repository: {repository}</translation>
    </message>
    <message>
        <source>Started: {started}   Finished: {finished}</source>
        <translation>Inizio: {started}   Fine: {finished}</translation>
    </message>
    <message>
        <source>Duration: {duration}</source>
        <translation>Durata: {duration}</translation>
    </message>
    <message>
        <source>Data: {size}, {rows}, {new} new in the repository</source>
        <translation>Dati: {size}, {rows}, {new} nuovi nel repository</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n riga</numerusform>
            <numerusform>%n righe</numerusform>
        </translation>
    </message>
    <message>
        <source>Backup: {id}</source>
        <translation>Backup: {id}</translation>
    </message>
    <message>
        <source>Log:</source>
        <translation>Log:</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>Esporta la cronologia</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>File CSV (*.csv)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Chiudi</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Avvio…</translation>
    </message>
    <message>
        <source>Cancelling… (nothing is left half-done)</source>
        <translation>Annullamento in corso… (nulla resta a metà)</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fatto.</translation>
    </message>
    <message>
        <source>Cancelled; nothing was left half-done.</source>
        <translation>Annullato; nulla è rimasto a metà.</translation>
    </message>
    <message>
        <source>No job running</source>
        <translation>Nessun job in corso</translation>
    </message>
    <message>
        <source>Back up now (Ctrl+B), verify or restore: jobs show their progress here.</source>
        <translation>Backup (Ctrl+B), verifica o ripristino: qui compare l&apos;avanzamento dei job.</translation>
    </message>
    <message>
        <source>backup</source>
        <translation>backup</translation>
    </message>
    <message>
        <source>restore</source>
        <translation>ripristino</translation>
    </message>
    <message>
        <source>verify</source>
        <translation>verifica</translation>
    </message>
    <message>
        <source>test-restore</source>
        <translation>prova di ripristino</translation>
    </message>
    <message>
        <source>export</source>
        <translation>esportazione</translation>
    </message>
    <message>
        <source>running</source>
        <translation>in corso</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallito</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annullato</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>danneggiato</translation>
    </message>
    <message>
        <source>internal error: {error} (please report it)</source>
        <translation>errore interno: {error} (si prega di segnalarlo)</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} di {total}</translation>
    </message>
    <message>
        <source>about {time} left</source>
        <translation>mancano circa {time}</translation>
    </message>
    <message>
        <source>No usable keyring was found on this system (Custode never stores secrets in plain files), so the passphrase will be asked for each time.</source>
        <translation>Su questo sistema non c&apos;è un portachiavi utilizzabile (Custode non salva mai i segreti in file in chiaro), quindi la passphrase verrà chiesta ogni volta.</translation>
    </message>
    <message>
        <source>The passphrase from CUSTODE_PASSWORD does not open this repository.</source>
        <translation>La passphrase in CUSTODE_PASSWORD non apre questo repository.</translation>
    </message>
    <message>
        <source>The passphrase from the keyring does not open this repository.</source>
        <translation>La passphrase salvata nel portachiavi non apre questo repository.</translation>
    </message>
    <message>
        <source>Unlock repository</source>
        <translation>Sblocca il repository</translation>
    </message>
    <message>
        <source>Passphrase for the repository at
{location}</source>
        <translation>Passphrase del repository in
{location}</translation>
    </message>
    <message>
        <source>passphrase</source>
        <translation>passphrase</translation>
    </message>
    <message>
        <source>Remember in the keyring</source>
        <translation>Ricorda nel portachiavi</translation>
    </message>
    <message>
        <source>Store the passphrase in {keyring}</source>
        <translation>Salva la passphrase in {keyring}</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Sblocca</translation>
    </message>
    <message>
        <source>Keyring</source>
        <translation>Portachiavi</translation>
    </message>
    <message>
        <source>The keyring refused to store the passphrase; it will be asked for next time.</source>
        <translation>Il portachiavi non ha accettato la passphrase: verrà chiesta di nuovo la prossima volta.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>How Custode calls this server.</source>
        <translation>Il nome con cui Custode indica questo server.</translation>
    </message>
    <message>
        <source>e.g. shop-db</source>
        <translation>es. shop-db</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Porta</translation>
    </message>
    <message>
        <source>Unix socket</source>
        <translation>Socket Unix</translation>
    </message>
    <message>
        <source>When set, host and port are not used.</source>
        <translation>Se indicato, host e porta non vengono usati.</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utente</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Kept in the OS keyring, never in a file.</source>
        <translation>Conservata nel portachiavi di sistema, mai in un file.</translation>
    </message>
    <message>
        <source>TLS CA certificate</source>
        <translation>Certificato CA TLS</translation>
    </message>
    <message>
        <source>TLS client certificate</source>
        <translation>Certificato client TLS</translation>
    </message>
    <message>
        <source>TLS client key</source>
        <translation>Chiave client TLS</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Posizione</translation>
    </message>
    <message>
        <source>SSH tunnel</source>
        <translation>Tunnel SSH</translation>
    </message>
    <message>
        <source>user@bastion:22</source>
        <translation>utente@bastion:22</translation>
    </message>
    <message>
        <source>Reach the database through this SSH server (the host above is as seen from there)</source>
        <translation>Raggiungere il database attraverso questo server SSH (l&apos;host indicato sopra è quello visto da lì)</translation>
    </message>
    <message>
        <source>SSH key</source>
        <translation>Chiave SSH</translation>
    </message>
    <message>
        <source>Private key for the SSH server; else the SSH agent and ~/.ssh keys</source>
        <translation>Chiave privata per il server SSH; altrimenti l&apos;agente SSH e le chiavi in ~/.ssh</translation>
    </message>
    <message>
        <source>Write it user@host or user@host:port.</source>
        <translation>Scriverlo nella forma utente@host o utente@host:porta.</translation>
    </message>
    <message>
        <source>Leave the Unix socket empty: through SSH the database is reached by host and port.</source>
        <translation>Lasciare vuoto il socket Unix: attraverso SSH il database si raggiunge tramite host e porta.</translation>
    </message>
    <message>
        <source>A folder (empty or new for a new repository), or s3://bucket/prefix, sftp://user@host/path, ftps://user@host/path, rclone:remote:path.</source>
        <translation>Una cartella (vuota o nuova per un nuovo repository), oppure s3://bucket/prefix, sftp://user@host/path, ftps://user@host/path, rclone:remote:path.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Encrypts the repository. Without it the backups cannot be read: keep it safe.</source>
        <translation>Cifra il repository. Senza di essa i backup non si possono leggere: conservarla al sicuro.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Lingua</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Come il sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Chiaro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Scuro</translation>
    </message>
    <message>
        <source>Choices come from the Servers page.</source>
        <translation>Le scelte provengono dalla pagina Server.</translation>
    </message>
    <message>
        <source>Comma-separated; leave empty to back up every database.</source>
        <translation>Separati da virgole; lasciare vuoto per fare il backup di tutti i database.</translation>
    </message>
    <message>
        <source>all databases</source>
        <translation>tutti i database</translation>
    </message>
    <message>
        <source>Repositories</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>The first checked is the primary; the others receive copies.</source>
        <translation>Il primo selezionato è il principale; gli altri ricevono copie.</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Pianificazione</translation>
    </message>
    <message>
        <source>Backup type</source>
        <translation>Tipo di backup</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Completo</translation>
    </message>
    <message>
        <source>Differential (changes since the last full)</source>
        <translation>Differenziale (modifiche dall&apos;ultimo completo)</translation>
    </message>
    <message>
        <source>Incremental (changes since the last backup)</source>
        <translation>Incrementale (modifiche dall&apos;ultimo backup)</translation>
    </message>
    <message>
        <source>Keep last</source>
        <translation>Conserva gli ultimi</translation>
    </message>
    <message>
        <source>The newest N backups.</source>
        <translation>Gli N backup più recenti.</translation>
    </message>
    <message>
        <source>Keep within</source>
        <translation>Conserva entro</translation>
    </message>
    <message>
        <source>Every backup younger than this: 12h, 7d, 2w, 6m, 1y.</source>
        <translation>Ogni backup più recente di questa durata: 12h, 7d, 2w, 6m, 1y (ore, giorni, settimane, mesi, anni).</translation>
    </message>
    <message>
        <source>e.g. 7d</source>
        <translation>es. 7d</translation>
    </message>
    <message>
        <source>Keep daily</source>
        <translation>Conserva giornalieri</translation>
    </message>
    <message>
        <source>The last backup of each of the last N days.</source>
        <translation>L&apos;ultimo backup di ciascuno degli ultimi N giorni.</translation>
    </message>
    <message>
        <source>Keep weekly</source>
        <translation>Conserva settimanali</translation>
    </message>
    <message>
        <source>The last backup of each of the last N weeks.</source>
        <translation>L&apos;ultimo backup di ciascuna delle ultime N settimane.</translation>
    </message>
    <message>
        <source>Keep monthly</source>
        <translation>Conserva mensili</translation>
    </message>
    <message>
        <source>The last backup of each of the last N months.</source>
        <translation>L&apos;ultimo backup di ciascuno degli ultimi N mesi.</translation>
    </message>
    <message>
        <source>Keep yearly</source>
        <translation>Conserva annuali</translation>
    </message>
    <message>
        <source>The last backup of each of the last N years.</source>
        <translation>L&apos;ultimo backup di ciascuno degli ultimi N anni.</translation>
    </message>
    <message>
        <source>Verify after backup</source>
        <translation>Verifica dopo il backup</translation>
    </message>
    <message>
        <source>Re-read every object of the new backup and check its hash and tag.</source>
        <translation>Rilegge ogni oggetto del nuovo backup e ne controlla hash e tag.</translation>
    </message>
    <message>
        <source>Notify on failure</source>
        <translation>Notifica in caso di errore</translation>
    </message>
    <message>
        <source>Send email</source>
        <translation>Invia email</translation>
    </message>
    <message>
        <source>SMTP server</source>
        <translation>Server SMTP</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Cifratura</translation>
    </message>
    <message>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS (di solito porta 587)</translation>
    </message>
    <message>
        <source>TLS (usually port 465)</source>
        <translation>TLS (di solito porta 465)</translation>
    </message>
    <message>
        <source>None (not encrypted)</source>
        <translation>Nessuna (non cifrata)</translation>
    </message>
    <message>
        <source>empty when the server needs no login</source>
        <translation>vuoto se il server non richiede l&apos;accesso</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Mittente</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Destinatari</translation>
    </message>
    <message>
        <source>Separate addresses with commas.</source>
        <translation>Separare gli indirizzi con virgole.</translation>
    </message>
    <message>
        <source>Post to a webhook</source>
        <translation>Pubblica su un webhook</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Generic JSON</source>
        <translation>JSON generico</translation>
    </message>
    <message>
        <source>Webhook URL</source>
        <translation>URL del webhook</translation>
    </message>
    <message>
        <source>Kept in the OS keyring: whoever has this URL can post to the channel.</source>
        <translation>Conservato nel portachiavi di sistema: chiunque abbia questo URL può pubblicare nel canale.</translation>
    </message>
    <message>
        <source>Send SMS through a gateway</source>
        <translation>Invia SMS tramite un gateway</translation>
    </message>
    <message>
        <source>Gateway URL</source>
        <translation>URL del gateway</translation>
    </message>
    <message>
        <source>Custode requests this URL with {message} replaced by the alert text. Kept in the OS keyring (it usually holds an API key).</source>
        <translation>Custode richiama questo URL sostituendo {message} con il testo dell&apos;avviso. Conservato nel portachiavi di sistema (di solito contiene una chiave API).</translation>
    </message>
    <message>
        <source>Show desktop notifications (from the tray icon)</source>
        <translation>Mostra le notifiche sul desktop (dall&apos;icona nell&apos;area di notifica)</translation>
    </message>
    <message>
        <source>A backup, restore or other job fails</source>
        <translation>Un backup, un ripristino o un altro job non riesce</translation>
    </message>
    <message>
        <source>No good backup of a server within</source>
        <translation>Nessun backup riuscito di un server entro</translation>
    </message>
    <message>
        <source>Hours without a good backup</source>
        <translation>Ore senza un backup riuscito</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>ore</translation>
    </message>
    <message>
        <source>Free space on a local repository&apos;s disk falls below</source>
        <translation>Lo spazio libero sul disco di un repository locale scende sotto</translation>
    </message>
    <message>
        <source>Free space threshold</source>
        <translation>Soglia di spazio libero</translation>
    </message>
    <message>
        <source>Verification or a test restore finds damage</source>
        <translation>Una verifica o una prova di ripristino trova danni</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Passphrase attuale</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nuova passphrase</translation>
    </message>
    <message>
        <source>At least 10 characters.</source>
        <translation>Almeno 10 caratteri.</translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation>Ripetere la nuova passphrase</translation>
    </message>
    <message>
        <source>{label} is required.</source>
        <translation>Compilare il campo «{label}».</translation>
    </message>
    <message>
        <source>{label} must be a whole number.</source>
        <translation>«{label}» deve essere un numero intero.</translation>
    </message>
    <message>
        <source>{label} must be between {minimum} and {maximum}.</source>
        <translation>Il valore di «{label}» deve essere compreso tra {minimum} e {maximum}.</translation>
    </message>
    <message>
        <source>{label}: choose one of {choices}.</source>
        <translation>{label}: scegliere tra {choices}.</translation>
    </message>
    <message>
        <source>{label}: no such file.</source>
        <translation>{label}: il file non esiste.</translation>
    </message>
    <message>
        <source>Use letters, digits, spaces and . - _ @ ( ) (at most 64 characters).</source>
        <translation>Usare lettere, cifre, spazi e . - _ @ ( ) (al massimo 64 caratteri).</translation>
    </message>
    <message>
        <source>No socket at this path (is the server running?).</source>
        <translation>Nessun socket in questo percorso (il server è in funzione?).</translation>
    </message>
    <message>
        <source>Unknown kind of location: use a folder, s3://bucket/prefix, sftp://user@host/path, ftps://user@host/path or rclone:remote:path.</source>
        <translation>Tipo di posizione sconosciuto: usare una cartella, s3://bucket/prefix, sftp://user@host/path, ftps://user@host/path o rclone:remote:path.</translation>
    </message>
    <message>
        <source>This is a file, not a folder.</source>
        <translation>Questo è un file, non una cartella.</translation>
    </message>
    <message>
        <source>Use five fields: minute hour day month weekday, e.g. &apos;30 2 * * *&apos; for every day at 02:30.</source>
        <translation>Usare cinque campi: minuto ora giorno mese giorno-della-settimana, ad es. &apos;30 2 * * *&apos; per ogni giorno alle 02:30.</translation>
    </message>
    <message>
        <source>The minute field &apos;{value}&apos; is not valid: use 0-59, a range a-b, a list a,b or a step */n.</source>
        <translation>Il campo dei minuti &apos;{value}&apos; non è valido: usare 0-59, un intervallo a-b, un elenco a,b o un passo */n.</translation>
    </message>
    <message>
        <source>The hour field &apos;{value}&apos; is not valid: use 0-23, a range a-b, a list a,b or a step */n.</source>
        <translation>Il campo delle ore &apos;{value}&apos; non è valido: usare 0-23, un intervallo a-b, un elenco a,b o un passo */n.</translation>
    </message>
    <message>
        <source>The day of month field &apos;{value}&apos; is not valid: use 1-31 or L, a range a-b, a list a,b or a step */n.</source>
        <translation>Il campo del giorno del mese &apos;{value}&apos; non è valido: usare 1-31 o L, un intervallo a-b, un elenco a,b o un passo */n.</translation>
    </message>
    <message>
        <source>The month field &apos;{value}&apos; is not valid: use 1-12 or jan-dec, a range a-b, a list a,b or a step */n.</source>
        <translation>Il campo del mese &apos;{value}&apos; non è valido: usare 1-12 o jan-dec, un intervallo a-b, un elenco a,b o un passo */n.</translation>
    </message>
    <message>
        <source>The weekday field &apos;{value}&apos; is not valid: use 0-7 or sun-sat, a range a-b, a list a,b or a step */n.</source>
        <translation>Il campo del giorno della settimana &apos;{value}&apos; non è valido: usare 0-7 o sun-sat, un intervallo a-b, un elenco a,b o un passo */n.</translation>
    </message>
    <message>
        <source>This is not a valid cron expression; check each of the five fields.</source>
        <translation>Questa non è un&apos;espressione cron valida; controllare ciascuno dei cinque campi.</translation>
    </message>
    <message>
        <source>This schedule never runs: no month has that day; check the day and month fields.</source>
        <translation>Questa pianificazione non viene mai eseguita: nessun mese ha quel giorno; controllare i campi del giorno e del mese.</translation>
    </message>
    <message>
        <source>Write a duration such as 12h, 7d, 2w, 6m or 1y (hours, days, weeks, months, years).</source>
        <translation>Indicare una durata come 12h, 7d, 2w, 6m o 1y (ore, giorni, settimane, mesi, anni).</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not a database name (at most 64 characters, no spaces, dots or slashes).</source>
        <translation>&apos;{name}&apos; non è un nome di database valido (al massimo 64 caratteri, senza spazi, punti o barre).</translation>
    </message>
    <message>
        <source>Another plan has this name; choose another.</source>
        <translation>Esiste già un piano con questo nome; sceglierne un altro.</translation>
    </message>
    <message>
        <source>Unknown server &apos;{server}&apos;: add it on the Servers page first.</source>
        <translation>Server sconosciuto: &apos;{server}&apos;. Aggiungerlo prima nella pagina Server.</translation>
    </message>
    <message>
        <source>Unknown repository &apos;{name}&apos;.</source>
        <translation>Repository sconosciuto: &apos;{name}&apos;.</translation>
    </message>
    <message>
        <source>Keeps nothing: set at least one keep rule.</source>
        <translation>Non conserva nulla: impostare almeno una regola di conservazione.</translation>
    </message>
    <message>
        <source>&apos;{address}&apos; is not an email address.</source>
        <translation>&apos;{address}&apos; non è un indirizzo email.</translation>
    </message>
    <message>
        <source>Give at least one email address.</source>
        <translation>Indicare almeno un indirizzo email.</translation>
    </message>
    <message>
        <source>&apos;{address}&apos; is not an email address: separate addresses with commas.</source>
        <translation>&apos;{address}&apos; non è un indirizzo email: separare gli indirizzi con virgole.</translation>
    </message>
    <message>
        <source>Give a host name or an IP address only, without smtp:// or a port.</source>
        <translation>Indicare solo un nome host o un indirizzo IP, senza smtp:// né porta.</translation>
    </message>
    <message>
        <source>Give a URL that starts with https:// (or http:// on a trusted network).</source>
        <translation>Indicare un URL che inizi con https:// (o http:// su una rete fidata).</translation>
    </message>
    <message>
        <source>Put {message} in the URL where the gateway expects the text.</source>
        <translation>Inserire {message} nell&apos;URL nel punto in cui il gateway si aspetta il testo.</translation>
    </message>
    <message>
        <source>The new passphrase is too short: use at least {count} characters (a few unrelated words are easy to type and hard to guess).</source>
        <translation>La nuova passphrase è troppo corta: usare almeno {count} caratteri (alcune parole senza legame tra loro sono facili da digitare e difficili da indovinare).</translation>
    </message>
    <message>
        <source>The two new passphrases differ.</source>
        <translation>Le due nuove passphrase sono diverse.</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motore</translation>
    </message>
    <message>
        <source>(+{count} views, routines, triggers, events)</source>
        <translation>(+{count} tra viste, routine, trigger ed eventi)</translation>
    </message>
    <message>
        <source>sequence</source>
        <translation>sequenza</translation>
    </message>
    <message>
        <source>Server password</source>
        <translation>Password del server</translation>
    </message>
    <message>
        <source>Password for {server}:</source>
        <translation>Password per {server}:</translation>
    </message>
    <message>
        <source>Pre-flight checks</source>
        <translation>Controlli preliminari</translation>
    </message>
    <message>
        <source>Custode checks the target before anything changes.</source>
        <translation>Custode controlla la destinazione prima di modificare qualsiasi cosa.</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Ripristina</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>Controlla di &amp;nuovo</translation>
    </message>
    <message>
        <source>no password was given for the target server</source>
        <translation>non è stata indicata la password del server di destinazione</translation>
    </message>
    <message>
        <source>Connecting to {server} and checking…</source>
        <translation>Connessione a {server} e controlli in corso…</translation>
    </message>
    <message>
        <source>Nothing was changed. Fix this (or go &lt;b&gt;Back&lt;/b&gt; and choose another target), then press &lt;b&gt;Check again&lt;/b&gt;.</source>
        <translation>Non è stato modificato nulla. Correggere il problema (oppure tornare indietro con &lt;b&gt;Precedente&lt;/b&gt; e scegliere un&apos;altra destinazione), poi premere &lt;b&gt;Controlla di nuovo&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>connected to {name} ({url})</source>
        <translation>connesso a {name} ({url})</translation>
    </message>
    <message>
        <source>created new: {databases}</source>
        <translation>creati da zero: {databases}</translation>
    </message>
    <message>
        <source>to restore: {tables}, {rows}, {size} of SQL</source>
        <translation>da ripristinare: {tables}, {rows}, {size} di SQL</translation>
    </message>
    <message numerus="yes">
        <source>%n table(s)</source>
        <translation>
            <numerusform>%n tabella</numerusform>
            <numerusform>%n tabelle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>users and grants: %n account(s), created where missing</source>
        <translation>
            <numerusform>utenti e privilegi: %n account, creato se manca</numerusform>
            <numerusform>utenti e privilegi: %n account, creati dove mancano</numerusform>
        </translation>
    </message>
    <message>
        <source>a safety copy of them is kept on the target</source>
        <translation>sulla destinazione ne viene conservata una copia di sicurezza</translation>
    </message>
    <message>
        <source>NO safety copy will be kept</source>
        <translation>NON verrà conservata alcuna copia di sicurezza</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… e %n altro</numerusform>
            <numerusform>… e altri %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n existing object(s) will be replaced; {safety}</source>
        <translation>
            <numerusform>%n oggetto esistente verrà sostituito; {safety}</numerusform>
            <numerusform>%n oggetti esistenti verranno sostituiti; {safety}</numerusform>
        </translation>
    </message>
    <message>
        <source>To go ahead, type {confirmation}:</source>
        <translation>Per procedere, digitare {confirmation}:</translation>
    </message>
    <message>
        <source>writes into existing databases the backup did not come from: {databases}</source>
        <translation>scrive in database esistenti da cui il backup non proviene: {databases}</translation>
    </message>
    <message>
        <source>nothing on the target is replaced</source>
        <translation>sulla destinazione non viene sostituito nulla</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>Ripristino in corso</translation>
    </message>
    <message>
        <source>Backup {id} onto {server}. Cancel stops it; until the last step the target stays exactly as it was.</source>
        <translation>Backup {id} su {server}. Annulla lo interrompe; fino all&apos;ultimo passo la destinazione resta esattamente com&apos;era.</translation>
    </message>
    <message>
        <source>Restored {tables}, {rows} into {databases} in {time}.</source>
        <translation>Ripristino completato: {tables}, {rows} in {databases} in {time}.</translation>
    </message>
    <message>
        <source>replaced objects kept in {schema}</source>
        <translation>oggetti sostituiti conservati in {schema}</translation>
    </message>
    <message>
        <source>Restore of {id} onto {server}</source>
        <translation>Ripristino di {id} su {server}</translation>
    </message>
    <message>
        <source>Stop the restore?</source>
        <translation>Interrompere il ripristino?</translation>
    </message>
    <message>
        <source>Stop the restore? Until its last step the target stays exactly as it was.</source>
        <translation>Interrompere il ripristino? Fino all&apos;ultimo passo la destinazione resta esattamente com&apos;era.</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Interruzione in corso…</translation>
    </message>
    <message>
        <source>Restore complete</source>
        <translation>Ripristino completato</translation>
    </message>
    <message>
        <source>Restore cancelled</source>
        <translation>Ripristino annullato</translation>
    </message>
    <message>
        <source>Restore failed</source>
        <translation>Ripristino non riuscito</translation>
    </message>
    <message>
        <source>The target was left as it was before the restore.</source>
        <translation>La destinazione è rimasta com&apos;era prima del ripristino.</translation>
    </message>
    <message>
        <source>The full log is in &lt;b&gt;History&lt;/b&gt;.</source>
        <translation>Il log completo è in &lt;b&gt;Cronologia&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>{what} restored into {databases} on {server} in {time}.</source>
        <translation>{what} ripristinate in {databases} su {server} in {time}.</translation>
    </message>
    <message numerus="yes">
        <source>%n replaced object(s) are kept in the database {schema} on the target. Drop it when you no longer need it.</source>
        <translation>
            <numerusform>%n oggetto sostituito è conservato nel database {schema} sulla destinazione. Eliminare il database quando non serve più.</numerusform>
            <numerusform>%n oggetti sostituiti sono conservati nel database {schema} sulla destinazione. Eliminare il database quando non serve più.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replaced object(s) were dropped (no safety copy).</source>
        <translation>
            <numerusform>%n oggetto sostituito è stato eliminato (nessuna copia di sicurezza).</numerusform>
            <numerusform>%n oggetti sostituiti sono stati eliminati (nessuna copia di sicurezza).</numerusform>
        </translation>
    </message>
    <message>
        <source>Users created: {users}.</source>
        <translation>Utenti creati: {users}.</translation>
    </message>
    <message>
        <source>Which backup?</source>
        <translation>Quale backup?</translation>
    </message>
    <message>
        <source>Choose the backup to restore from. The newest is at the top.</source>
        <translation>Scegliere il backup da ripristinare. Il più recente è in cima.</translation>
    </message>
    <message>
        <source>Filter (id, date, server, database…)</source>
        <translation>Filtra (ID, data, server, database…)</translation>
    </message>
    <message>
        <source>What should be restored?</source>
        <translation>Che cosa ripristinare?</translation>
    </message>
    <message>
        <source>Search databases and tables</source>
        <translation>Cerca database e tabelle</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Seleziona &amp;tutto</translation>
    </message>
    <message>
        <source>Select &amp;none</source>
        <translation>&amp;Deseleziona tutto</translation>
    </message>
    <message>
        <source>Backup {id} of {server}, finished {finished} UTC. Tick whole databases, or open one and tick single tables.</source>
        <translation>Backup {id} di {server}, terminato il {finished} UTC. Selezionare interi database, oppure aprirne uno e selezionare singole tabelle.</translation>
    </message>
    <message>
        <source>{databases}, {tables}, {rows}, {size} of SQL</source>
        <translation>{databases}, {tables}, {rows}, {size} di SQL</translation>
    </message>
    <message>
        <source>Where should it go?</source>
        <translation>Dove ripristinare?</translation>
    </message>
    <message>
        <source>Restore onto the server the backup came from or onto another one, under the same names or new ones.</source>
        <translation>Ripristinare sul server di origine del backup o su un altro, con gli stessi nomi o con nomi nuovi.</translation>
    </message>
    <message>
        <source>This backup holds no users (back up with users to restore them)</source>
        <translation>Questo backup non contiene utenti (per ripristinarli, includere gli utenti nel backup)</translation>
    </message>
    <message>
        <source>No server is set up: add one with Set up… or in the settings.</source>
        <translation>Nessun server configurato: aggiungerne uno con Configura… o nelle impostazioni.</translation>
    </message>
    <message>
        <source>The server this backup came from. Tables that exist there are replaced; the next page lists them before anything happens.</source>
        <translation>Il server da cui proviene il backup. Le tabelle già presenti vengono sostituite; la pagina successiva le elenca prima di modificare qualsiasi cosa.</translation>
    </message>
    <message>
        <source>{server} — not the server the backup came from.</source>
        <translation>{server} — non è il server da cui proviene il backup.</translation>
    </message>
    <message>
        <source>Without a safety copy, whatever the restore replaces is gone for good.</source>
        <translation>Senza una copia di sicurezza, ciò che il ripristino sostituisce è perso per sempre.</translation>
    </message>
    <message>
        <source>Give {database} a name to restore under.</source>
        <translation>Indicare il nome con cui ripristinare {database}.</translation>
    </message>
    <message>
        <source>{name}: a database name cannot start or end with a space.</source>
        <translation>{name}: il nome di un database non può iniziare o finire con uno spazio.</translation>
    </message>
    <message numerus="yes">
        <source>{name}…: a database name has at most %n character(s).</source>
        <translation>
            <numerusform>{name}…: il nome di un database ha al massimo %n carattere.</numerusform>
            <numerusform>{name}…: il nome di un database ha al massimo %n caratteri.</numerusform>
        </translation>
    </message>
    <message>
        <source>{name}: a database name cannot hold &apos;/&apos;, &apos;\&apos; or &apos;.&apos;.</source>
        <translation>{name}: il nome di un database non può contenere &apos;/&apos;, &apos;\&apos; o &apos;.&apos;.</translation>
    </message>
    <message>
        <source>{name}: names starting with custode_ are Custode&apos;s own (staging, safety copies).</source>
        <translation>{name}: i nomi che iniziano con custode_ sono riservati a Custode (staging, copie di sicurezza).</translation>
    </message>
    <message>
        <source>Two databases would be restored as {name}; give one another name.</source>
        <translation>Due database verrebbero ripristinati come {name}: dare un altro nome a uno dei due.</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>Ripristina un backup</translation>
    </message>
    <message>
        <source>Where should backups go?</source>
        <translation>Dove salvare i backup?</translation>
    </message>
    <message>
        <source>A repository holds encrypted backups: a folder, or space on S3, an SFTP or FTPS server, or any rclone remote. Choose an empty place for a new one, or open one you already have.</source>
        <translation>Un repository contiene backup cifrati: una cartella, oppure spazio su S3, su un server SFTP o FTPS o su un remote rclone. Scegliere una posizione vuota per crearne uno nuovo, oppure aprirne uno esistente.</translation>
    </message>
    <message>
        <source>Create a new repository</source>
        <translation>Crea un nuovo repository</translation>
    </message>
    <message>
        <source>Open an existing repository</source>
        <translation>Apri un repository esistente</translation>
    </message>
    <message>
        <source>Type the passphrase again</source>
        <translation>Digitare di nuovo la passphrase</translation>
    </message>
    <message>
        <source>Remember the passphrase in the system keyring</source>
        <translation>Ricorda la passphrase nel portachiavi di sistema</translation>
    </message>
    <message>
        <source>No system keyring available: the passphrase will be asked for each time</source>
        <translation>Nessun portachiavi di sistema disponibile: la passphrase verrà chiesta ogni volta</translation>
    </message>
    <message>
        <source>S3: the AWS settings of this computer are used (environment, ~/.aws, instance role). Or give a key pair; it is kept in the system keyring.</source>
        <translation>S3: vengono usate le impostazioni AWS di questo computer (variabili d&apos;ambiente, ~/.aws, ruolo dell&apos;istanza). In alternativa indicare una coppia di chiavi, che viene conservata nel portachiavi di sistema.</translation>
    </message>
    <message>
        <source>Access key ID</source>
        <translation>ID della chiave di accesso</translation>
    </message>
    <message>
        <source>Secret access key</source>
        <translation>Chiave di accesso segreta</translation>
    </message>
    <message>
        <source>SFTP: your SSH keys are used. Or give the account&apos;s password; it is kept in the system keyring.</source>
        <translation>SFTP: vengono usate le chiavi SSH dell&apos;utente. In alternativa indicare la password dell&apos;account, che viene conservata nel portachiavi di sistema.</translation>
    </message>
    <message>
        <source>Password on the SFTP server</source>
        <translation>Password sul server SFTP</translation>
    </message>
    <message>
        <source>FTPS: the password is kept in the system keyring.</source>
        <translation>FTPS: la password viene conservata nel portachiavi di sistema.</translation>
    </message>
    <message>
        <source>Password on the FTPS server</source>
        <translation>Password sul server FTPS</translation>
    </message>
    <message>
        <source>rclone: the remote&apos;s credentials stay in rclone&apos;s own configuration (rclone config).</source>
        <translation>rclone: le credenziali del remote restano nella configurazione di rclone (rclone config).</translation>
    </message>
    <message numerus="yes">
        <source>Use at least %n character(s).</source>
        <translation>
            <numerusform>Usare almeno %n carattere.</numerusform>
            <numerusform>Usare almeno %n caratteri.</numerusform>
        </translation>
    </message>
    <message>
        <source>The two passphrases differ; type them again.</source>
        <translation>Le due passphrase sono diverse: digitarle di nuovo.</translation>
    </message>
    <message>
        <source>No system keyring: the storage password cannot be kept. Use SSH keys, the AWS settings or rclone instead.</source>
        <translation>Nessun portachiavi di sistema: la password dell&apos;archiviazione non può essere conservata. Usare invece le chiavi SSH, le impostazioni AWS o rclone.</translation>
    </message>
    <message>
        <source>The server&apos;s host key was not trusted; nothing was changed.</source>
        <translation>La chiave host del server non è stata considerata attendibile; non è stato modificato nulla.</translation>
    </message>
    <message>
        <source>The keyring did not take the passphrase: it will be asked for each time.</source>
        <translation>Il portachiavi non ha accettato la passphrase: verrà chiesta ogni volta.</translation>
    </message>
    <message>
        <source>Which server should Custode back up?</source>
        <translation>Di quale server fare il backup?</translation>
    </message>
    <message>
        <source>Give its address and an account that may read everything (and RELOAD for a consistent snapshot), or try Custode on the demo server first.</source>
        <translation>Indicarne l&apos;indirizzo e un account che possa leggere tutto (e con RELOAD per uno snapshot coerente), oppure provare prima Custode sul server demo.</translation>
    </message>
    <message>
        <source>Use the demo server (Sakila sample)</source>
        <translation>Usa il server demo (esempio Sakila)</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Prova la connessione</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connessione in corso…</translation>
    </message>
    <message>
        <source>Connected: {version}</source>
        <translation>Connesso: {version}</translation>
    </message>
    <message>
        <source>Not connected: the SSH server&apos;s host key was not trusted.</source>
        <translation>Non connesso: la chiave host del server SSH non è stata considerata attendibile.</translation>
    </message>
    <message>
        <source>Starting the demo server and loading the Sakila sample (a few seconds the first time)…</source>
        <translation>Avvio del server demo e caricamento dell&apos;esempio Sakila (la prima volta richiede qualche secondo)…</translation>
    </message>
    <message>
        <source>The demo server is running with the Sakila sample database. Finish, then press &apos;Back up now&apos;.</source>
        <translation>Il server demo è in funzione con il database di esempio Sakila. Premere Fine, poi &apos;Esegui backup ora&apos;.</translation>
    </message>
    <message>
        <source>Welcome to Custode</source>
        <translation>Benvenuti in Custode</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Custode&lt;/h2&gt;&lt;p&gt;Custode backs up MySQL and MariaDB servers into an encrypted repository,&lt;br&gt;proves that the backups restore, and restores them in a hurry.&lt;/p&gt;&lt;p&gt;Open a repository to see its backups and verify them,&lt;br&gt;or set up a new one (with a demo server to try things on) with &lt;b&gt;Set up…&lt;/b&gt;.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Custode&lt;/h2&gt;&lt;p&gt;Custode esegue il backup di server MySQL e MariaDB in un repository cifrato,&lt;br&gt;dimostra che i backup si ripristinano e li ripristina in fretta quando serve.&lt;/p&gt;&lt;p&gt;Aprire un repository per vederne i backup e verificarli,&lt;br&gt;oppure configurarne uno nuovo (con un server demo per fare prove) con &lt;b&gt;Configura…&lt;/b&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Panoramica</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Backup</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Cronologia</translation>
    </message>
    <message>
        <source>Open repository…</source>
        <translation>Apri repository…</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Verifica</translation>
    </message>
    <message>
        <source>Re-read every object of the selected backup and check it</source>
        <translation>Rilegge ogni oggetto del backup selezionato e lo controlla</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>Ripristina…</translation>
    </message>
    <message>
        <source>Restore a backup (the selected one) onto a server, step by step</source>
        <translation>Ripristina un backup (quello selezionato) su un server, passo per passo</translation>
    </message>
    <message>
        <source>Set up…</source>
        <translation>Configura…</translation>
    </message>
    <message>
        <source>Create or open a repository and add a server (or the demo server)</source>
        <translation>Crea o apre un repository e aggiunge un server (o il server demo)</translation>
    </message>
    <message>
        <source>Back up the chosen server into the open repository</source>
        <translation>Esegue il backup del server scelto nel repository aperto</translation>
    </message>
    <message>
        <source>The server &apos;Back up now&apos; works on</source>
        <translation>Il server su cui agisce &apos;Esegui backup ora&apos;</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Impostazioni…</translation>
    </message>
    <message>
        <source>Servers, repositories, plans, notifications, keys, language and theme</source>
        <translation>Server, repository, piani, notifiche, chiavi, lingua e tema</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Backup</source>
        <translation>&amp;Backup</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Barra degli strumenti principale</translation>
    </message>
    <message>
        <source>Filter backups (id, date, server, database…)</source>
        <translation>Filtra i backup (ID, data, server, database…)</translation>
    </message>
    <message>
        <source>No repository open</source>
        <translation>Nessun repository aperto</translation>
    </message>
    <message>
        <source>Open repository</source>
        <translation>Apri repository</translation>
    </message>
    <message>
        <source>Wait for the verification to end first.</source>
        <translation>Attendere prima la fine della verifica.</translation>
    </message>
    <message>
        <source>Wrong passphrase</source>
        <translation>Passphrase errata</translation>
    </message>
    <message>
        <source>{error} Nothing was opened.</source>
        <translation>{error} Non è stato aperto nulla.</translation>
    </message>
    <message>
        <source>Cannot open the repository</source>
        <translation>Impossibile aprire il repository</translation>
    </message>
    <message numerus="yes">
        <source>Repository {location}  ·  %n backup(s)</source>
        <translation>
            <numerusform>Repository {location}  ·  %n backup</numerusform>
            <numerusform>Repository {location}  ·  %n backup</numerusform>
        </translation>
    </message>
    <message>
        <source>Opened {location}</source>
        <translation>Aperto {location}</translation>
    </message>
    <message>
        <source>No backups yet: press &apos;Back up now&apos;, or run &apos;custode backup --repo PATH --server URL&apos;.</source>
        <translation>Ancora nessun backup: premere &apos;Esegui backup ora&apos; oppure eseguire &apos;custode backup --repo PATH --server URL&apos;.</translation>
    </message>
    <message>
        <source>No keyring</source>
        <translation>Nessun portachiavi</translation>
    </message>
    <message>
        <source>The system keyring did not take the server password: Custode will ask for it each time.</source>
        <translation>Il portachiavi di sistema non ha accettato la password del server: Custode la chiederà ogni volta.</translation>
    </message>
    <message>
        <source>Ready: press &apos;Back up now&apos; to make the first backup.</source>
        <translation>Pronto: premere &apos;Esegui backup ora&apos; per fare il primo backup.</translation>
    </message>
    <message>
        <source>Backup {id} done: {tables}, {rows}, {size} of SQL, {new} new in the repository, in {time}.</source>
        <translation>Backup {id} completato: {tables}, {rows}, {size} di SQL, {new} nuovi nel repository, in {time}.</translation>
    </message>
    <message>
        <source>The copy to {name} failed: {error}</source>
        <translation>La copia su {name} non è riuscita: {error}</translation>
    </message>
    <message>
        <source>Copied to {names}.</source>
        <translation>Copiato su {names}.</translation>
    </message>
    <message>
        <source>Backup of {server}</source>
        <translation>Backup di {server}</translation>
    </message>
    <message>
        <source>Open a repository first, then back up.</source>
        <translation>Aprire prima un repository, poi fare il backup.</translation>
    </message>
    <message>
        <source>no server set up yet</source>
        <translation>nessun server ancora configurato</translation>
    </message>
    <message>
        <source>needs attention: {servers}</source>
        <translation>richiede attenzione: {servers}</translation>
    </message>
    <message>
        <source>backup due soon: {servers}</source>
        <translation>backup presto in scadenza: {servers}</translation>
    </message>
    <message>
        <source>every server has a recent backup</source>
        <translation>ogni server ha un backup recente</translation>
    </message>
    <message>
        <source>{job} failed</source>
        <translation>{job}: non riuscito</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifiche</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Chiavi</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Impostazioni salvate.</translation>
    </message>
    <message>
        <source>The new language shows from the next start (something is running now).</source>
        <translation>La nuova lingua sarà visibile dal prossimo avvio (ora c&apos;è un&apos;attività in corso).</translation>
    </message>
    <message>
        <source>Verifying backup {id}…</source>
        <translation>Verifica del backup {id} in corso…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annullamento in corso…</translation>
    </message>
    <message>
        <source>Verifying… {done} of {total} ({rate}/s)</source>
        <translation>Verifica in corso… {done} di {total} ({rate}/s)</translation>
    </message>
    <message>
        <source>Verifying… {done} ({rate}/s)</source>
        <translation>Verifica in corso… {done} ({rate}/s)</translation>
    </message>
    <message>
        <source>Backup {id} verified: {objects}, {size} in {seconds} s, no damage found.</source>
        <translation>Backup {id} verificato: {objects}, {size} in {seconds} s, nessun danno trovato.</translation>
    </message>
    <message numerus="yes">
        <source>%n object(s)</source>
        <translation>
            <numerusform>%n oggetto</numerusform>
            <numerusform>%n oggetti</numerusform>
        </translation>
    </message>
    <message>
        <source>Verification passed</source>
        <translation>Verifica superata</translation>
    </message>
    <message numerus="yes">
        <source>Backup {id}: %n damaged object(s) out of {objects}. This backup cannot be fully restored.</source>
        <translation>
            <numerusform>Backup {id}: %n oggetto danneggiato su {objects}. Questo backup non può essere ripristinato per intero.</numerusform>
            <numerusform>Backup {id}: %n oggetti danneggiati su {objects}. Questo backup non può essere ripristinato per intero.</numerusform>
        </translation>
    </message>
    <message>
        <source>Damage found</source>
        <translation>Trovati danni</translation>
    </message>
    <message>
        <source>Verification cancelled.</source>
        <translation>Verifica annullata.</translation>
    </message>
    <message>
        <source>Verification failed: {error}</source>
        <translation>Verifica non riuscita: {error}</translation>
    </message>
    <message>
        <source>Verification failed</source>
        <translation>Verifica non riuscita</translation>
    </message>
    <message>
        <source>Jobs are running</source>
        <translation>Job in corso</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still running. Cancel and quit? (A cancelled backup leaves nothing behind.)</source>
        <translation>
            <numerusform>%n job è ancora in corso. Annullarlo e uscire? (Un backup annullato non lascia nulla dietro di sé.)</numerusform>
            <numerusform>%n job sono ancora in corso. Annullarli e uscire? (Un backup annullato non lascia nulla dietro di sé.)</numerusform>
        </translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>Oraria</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Giornaliera</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Settimanale</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Mensile</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personalizzata</translation>
    </message>
    <message>
        <source>on Monday</source>
        <translation>il lunedì</translation>
    </message>
    <message>
        <source>on Tuesday</source>
        <translation>il martedì</translation>
    </message>
    <message>
        <source>on Wednesday</source>
        <translation>il mercoledì</translation>
    </message>
    <message>
        <source>on Thursday</source>
        <translation>il giovedì</translation>
    </message>
    <message>
        <source>on Friday</source>
        <translation>il venerdì</translation>
    </message>
    <message>
        <source>on Saturday</source>
        <translation>il sabato</translation>
    </message>
    <message>
        <source>on Sunday</source>
        <translation>la domenica</translation>
    </message>
    <message>
        <source>minute hour day month weekday, e.g. 30 2 * * *</source>
        <translation>minuto ora giorno mese giorno-della-settimana, ad es. 30 2 * * *</translation>
    </message>
    <message>
        <source>Times are this computer&apos;s local time.</source>
        <translation>Gli orari sono nell&apos;ora locale di questo computer.</translation>
    </message>
    <message>
        <source>at minute</source>
        <translation>al minuto</translation>
    </message>
    <message>
        <source>on day {day}</source>
        <translation>il giorno {day}</translation>
    </message>
    <message>
        <source>on the last day</source>
        <translation>l&apos;ultimo giorno</translation>
    </message>
    <message>
        <source>A schedule is required.</source>
        <translation>Indicare una pianificazione.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>In regola</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>In scadenza</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Scaduto</translation>
    </message>
    <message>
        <source>No backup</source>
        <translation>Nessun backup</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>raggiungibile</translation>
    </message>
    <message>
        <source>writable</source>
        <translation>scrivibile</translation>
    </message>
    <message>
        <source>checking</source>
        <translation>controllo in corso</translation>
    </message>
    <message>
        <source>remote</source>
        <translation>remoto</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>accesso negato</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>fermo</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>sola lettura</translation>
    </message>
    <message>
        <source>low space</source>
        <translation>spazio scarso</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>non raggiungibile</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>mancante</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>illeggibile</translation>
    </message>
    <message>
        <source>not in profile</source>
        <translation>non nel profilo</translation>
    </message>
    <message>
        <source>restore to settle</source>
        <translation>ripristino da sistemare</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>lun</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>mar</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>mer</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>gio</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>ven</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>sab</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>dom</translation>
    </message>
    <message>
        <source>under a minute</source>
        <translation>meno di un minuto</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} h {minutes} min</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) {hours} h</source>
        <translation>
            <numerusform>%n giorno {hours} h</numerusform>
            <numerusform>%n giorni {hours} h</numerusform>
        </translation>
    </message>
    <message>
        <source>the demo server is not running</source>
        <translation>il server demo non è in funzione</translation>
    </message>
    <message>
        <source>no socket at {path}</source>
        <translation>nessun socket in {path}</translation>
    </message>
    <message>
        <source>the server refused the login: no password in the keyring</source>
        <translation>il server ha rifiutato l&apos;accesso: nessuna password nel portachiavi</translation>
    </message>
    <message>
        <source>the server refused the login: check the user and password</source>
        <translation>il server ha rifiutato l&apos;accesso: controllare utente e password</translation>
    </message>
    <message>
        <source>a restore that stopped left work on this server: run &apos;custode cleanup --server {server}&apos; (the next restore does it first)</source>
        <translation>un ripristino interrotto ha lasciato lavoro su questo server: esegui &apos;custode cleanup --server {server}&apos; (il prossimo ripristino lo fa per primo)</translation>
    </message>
    <message>
        <source>Last good backup</source>
        <translation>Ultimo backup riuscito</translation>
    </message>
    <message>
        <source>RPO now</source>
        <translation>RPO attuale</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>Prossima esecuzione</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Esegui backup ora</translation>
    </message>
    <message>
        <source>Settle the stopped restore</source>
        <translation>Sistema il ripristino interrotto</translation>
    </message>
    <message>
        <source>Finish or roll back what a stopped restore left on this server, as &apos;custode cleanup&apos; does: the target ends as it was before that restore or as it would be after it</source>
        <translation>Completa o annulla ciò che un ripristino interrotto ha lasciato su questo server, come fa &apos;custode cleanup&apos;: la destinazione torna com&apos;era prima di quel ripristino o come sarebbe dopo</translation>
    </message>
    <message>
        <source>{age} ago</source>
        <translation>{age} fa</translation>
    </message>
    <message>
        <source>{age} (target {target})</source>
        <translation>{age} (obiettivo {target})</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>ancora nessuno</translation>
    </message>
    <message>
        <source>unbounded: no good backup (target {target})</source>
        <translation>illimitato (obiettivo {target})</translation>
    </message>
    <message>
        <source>Show this server&apos;s history</source>
        <translation>Mostra la cronologia di questo server</translation>
    </message>
    <message>
        <source>no schedule</source>
        <translation>nessuna pianificazione</translation>
    </message>
    <message>
        <source>due now</source>
        <translation>previsto ora</translation>
    </message>
    <message>
        <source>in {time} · {day} {clock}</source>
        <translation>tra {time} · {day} {clock}</translation>
    </message>
    <message>
        <source>no message</source>
        <translation>nessun messaggio</translation>
    </message>
    <message>
        <source>Last attempt failed {age} ago: {message}</source>
        <translation>Ultimo tentativo non riuscito {age} fa: {message}</translation>
    </message>
    <message>
        <source>No repository yet</source>
        <translation>Ancora nessun repository</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aggiorna</translation>
    </message>
    <message>
        <source>Re-read the history and check every server and repository</source>
        <translation>Rilegge la cronologia e controlla ogni server e repository</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>Andamento</translation>
    </message>
    <message>
        <source>backed up from the command line</source>
        <translation>backup eseguito dalla riga di comando</translation>
    </message>
    <message>
        <source>Repository {name} · {used} used · {free} free · {state}</source>
        <translation>Repository {name} · {used} usati · {free} liberi · {state}</translation>
    </message>
    <message>
        <source>Repository {name} · {used} used · {state}</source>
        <translation>Repository {name} · {used} usati · {state}</translation>
    </message>
    <message>
        <source>no copy yet</source>
        <translation>ancora nessuna copia</translation>
    </message>
    <message>
        <source>copy behind: newest here {age} older</source>
        <translation>copia indietro: la più recente qui è più vecchia di {age}</translation>
    </message>
    <message>
        <source>copy up to date</source>
        <translation>copia aggiornata</translation>
    </message>
    <message>
        <source>No servers yet: add one with Set up…</source>
        <translation>Ancora nessun server: aggiungerne uno con Configura…</translation>
    </message>
    <message numerus="yes">
        <source>%n server(s)</source>
        <translation>
            <numerusform>%n server</numerusform>
            <numerusform>%n server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n without a recent backup</source>
        <translation>
            <numerusform>%n senza un backup recente</numerusform>
            <numerusform>%n senza un backup recente</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not reachable</source>
        <translation>
            <numerusform>%n non raggiungibile</numerusform>
            <numerusform>%n non raggiungibili</numerusform>
        </translation>
    </message>
    <message>
        <source>all backed up in time</source>
        <translation>tutti con un backup nei tempi</translation>
    </message>
    <message>
        <source>settling what the stopped restore left…</source>
        <translation>sistemazione di ciò che il ripristino interrotto ha lasciato…</translation>
    </message>
    <message>
        <source>nothing was left to settle</source>
        <translation>non c&apos;era nulla da sistemare</translation>
    </message>
    <message>
        <source>Checking servers failed: {error}</source>
        <translation>Controllo dei server non riuscito: {error}</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Sfoglia…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Scegliere una cartella</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Scegliere un file</translation>
    </message>
    <message>
        <source>Stored in the OS keyring (leave empty to use it)</source>
        <translation>Salvata nel portachiavi di sistema (lasciare vuoto per usarla)</translation>
    </message>
    <message>
        <source>Not in the keyring: type it</source>
        <translation>Non presente nel portachiavi: digitarla</translation>
    </message>
    <message>
        <source>The passphrase in the keyring does not open this repository: type the current one.</source>
        <translation>La passphrase nel portachiavi non apre questo repository: digitare quella attuale.</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation>Cambia passphrase</translation>
    </message>
    <message>
        <source>The backups stay as they are: only the key file that guards the master key is replaced. When the keyring held the old passphrase, it gets the new one.</source>
        <translation>I backup restano come sono: viene sostituito solo il file di chiave che protegge la chiave principale. Se il portachiavi conteneva la vecchia passphrase, riceve quella nuova.</translation>
    </message>
    <message>
        <source>Recovery sheet</source>
        <translation>Foglio di recupero</translation>
    </message>
    <message>
        <source>A page to print and keep in a safe: the master key, in short checked lines, and the steps to restore with it if the passphrase is ever lost. It does not hold the passphrase, and stays valid when the passphrase changes.</source>
        <translation>Una pagina da stampare e custodire in cassaforte: la chiave principale, in brevi righe con codice di controllo, e i passi per ripristinare con essa se la passphrase andasse persa. Non contiene la passphrase e resta valida quando la passphrase cambia.</translation>
    </message>
    <message>
        <source>Save recovery sheet…</source>
        <translation>Salva il foglio di recupero…</translation>
    </message>
    <message>
        <source>Add a repository first: its keys are managed here.</source>
        <translation>Aggiungere prima un repository: qui se ne gestiscono le chiavi.</translation>
    </message>
    <message>
        <source>Repository {id}: its passphrase is in the keyring.</source>
        <translation>Repository {id}: la sua passphrase è nel portachiavi.</translation>
    </message>
    <message>
        <source>Repository {id}: its passphrase is not in the keyring.</source>
        <translation>Repository {id}: la sua passphrase non è nel portachiavi.</translation>
    </message>
    <message>
        <source>Type the current passphrase.</source>
        <translation>Digitare la passphrase attuale.</translation>
    </message>
    <message>
        <source>Changing the passphrase…</source>
        <translation>Cambio della passphrase in corso…</translation>
    </message>
    <message>
        <source>Passphrase changed. The keyring holds the new one.</source>
        <translation>Passphrase cambiata. Il portachiavi contiene quella nuova.</translation>
    </message>
    <message>
        <source>Passphrase changed. Custode will ask for it: the keyring does not hold it.</source>
        <translation>Passphrase cambiata. Custode la chiederà: il portachiavi non la contiene.</translation>
    </message>
    <message>
        <source>The recovery sheet needs the passphrase once.</source>
        <translation>Il foglio di recupero richiede la passphrase una volta.</translation>
    </message>
    <message>
        <source>Save recovery sheet</source>
        <translation>Salva il foglio di recupero</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>Pagina web (*.html)</translation>
    </message>
    <message>
        <source>Writing the recovery sheet…</source>
        <translation>Scrittura del foglio di recupero in corso…</translation>
    </message>
    <message>
        <source>Saved to {path}. Print it, keep it in a safe, then delete the file: it opens every backup.</source>
        <translation>Salvato in {path}. Stamparlo, custodirlo in cassaforte, poi eliminare il file: apre ogni backup.</translation>
    </message>
    <message>
        <source>Print the recovery sheet</source>
        <translation>Stampa il foglio di recupero</translation>
    </message>
    <message>
        <source>Print the recovery sheet now?</source>
        <translation>Stampare ora il foglio di recupero?</translation>
    </message>
    <message>
        <source>Stored in the OS keyring (type to replace it)</source>
        <translation>Salvato nel portachiavi di sistema (digitare per sostituirlo)</translation>
    </message>
    <message>
        <source>No OS keyring could keep this, and alerts need it to send on their own: unlock or set up a keyring.</source>
        <translation>Nessun portachiavi di sistema ha potuto conservare questo dato, che serve agli avvisi per partire da soli: sbloccare o configurare un portachiavi.</translation>
    </message>
    <message>
        <source>Send test</source>
        <translation>Invia una prova</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Invio in corso…</translation>
    </message>
    <message>
        <source>Custode warns you when something needs you. Alerts go to every channel turned on below; Send test tries one channel with what is on screen.</source>
        <translation>Custode avvisa quando qualcosa richiede attenzione. Gli avvisi vengono inviati a ogni canale attivato qui sotto; «Invia una prova» collauda un canale con i dati sullo schermo.</translation>
    </message>
    <message>
        <source>Notify when</source>
        <translation>Notifica quando</translation>
    </message>
    <message>
        <source>Fix the fields marked in red, or turn that channel off.</source>
        <translation>Correggere i campi segnati in rosso, oppure disattivare quel canale.</translation>
    </message>
    <message>
        <source>A secret could not be kept: see the field marked in red.</source>
        <translation>Non è stato possibile conservare un segreto: vedere il campo segnato in rosso.</translation>
    </message>
    <message>
        <source>Could not save the settings in {path}: {error}; check that folder&apos;s permissions.</source>
        <translation>Impossibile salvare le impostazioni in {path}: {error}; controllare i permessi di quella cartella.</translation>
    </message>
    <message>
        <source>The language also sets how schedules are said in words.</source>
        <translation>La lingua determina anche come vengono descritte a parole le pianificazioni.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Impostazioni</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Generale</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>Piani</translation>
    </message>
    <message>
        <source>Settings not saved</source>
        <translation>Impostazioni non salvate</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}; check that folder&apos;s permissions.</source>
        <translation>Impossibile scrivere {path}: {error}; controllare i permessi di quella cartella.</translation>
    </message>
    <message>
        <source>The keyring did not keep the password of {servers}: it will be asked for each time.</source>
        <translation>Il portachiavi non ha conservato la password di {servers}: verrà chiesta ogni volta.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
    <message>
        <source>Cannot remove</source>
        <translation>Impossibile rimuovere</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Aggiungi</translation>
    </message>
    <message>
        <source>unchanged (kept in the keyring)</source>
        <translation>invariata (conservata nel portachiavi)</translation>
    </message>
    <message>
        <source>Another server has this name; choose another.</source>
        <translation>Esiste già un server con questo nome; sceglierne un altro.</translation>
    </message>
    <message>
        <source>&lt;b&gt;What this retention keeps&lt;/b&gt;</source>
        <translation>&lt;b&gt;Che cosa conserva questa politica&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Aggiungi…</translation>
    </message>
    <message>
        <source>Location: {location}</source>
        <translation>Posizione: {location}</translation>
    </message>
    <message>
        <source>Another repository has this name; choose another.</source>
        <translation>Esiste già un repository con questo nome; sceglierne un altro.</translation>
    </message>
    <message>
        <source>Add a repository</source>
        <translation>Aggiungi un repository</translation>
    </message>
    <message>
        <source>This repository is already here as &apos;{name}&apos;.</source>
        <translation>Questo repository è già presente come &apos;{name}&apos;.</translation>
    </message>
    <message>
        <source>Show Custode</source>
        <translation>Mostra Custode</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Esci</translation>
    </message>
    <message>
        <source>No server set up yet</source>
        <translation>Nessun server ancora configurato</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n giorno</numerusform>
            <numerusform>%n giorni</numerusform>
        </translation>
    </message>
    <message>
        <source>Size (MiB)</source>
        <translation>Dimensione (MiB)</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Durata (s)</translation>
    </message>
    <message>
        <source>SQL data</source>
        <translation>Dati SQL</translation>
    </message>
    <message>
        <source>new in the repository</source>
        <translation>nuovi nel repository</translation>
    </message>
    <message>
        <source>duration</source>
        <translation>durata</translation>
    </message>
    <message numerus="yes">
        <source>%n good backup(s) in the last {days} days</source>
        <translation>
            <numerusform>%n backup riuscito negli ultimi {days} giorni</numerusform>
            <numerusform>%n backup riusciti negli ultimi {days} giorni</numerusform>
        </translation>
    </message>
    <message>
        <source>No good backup in the last {days} days</source>
        <translation>Nessun backup riuscito negli ultimi {days} giorni</translation>
    </message>
    <message>
        <source>{size} of data, {new} new</source>
        <translation>{size} di dati, {new} nuovi</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>cartella</translation>
    </message>
    <message>
        <source>S3 bucket</source>
        <translation>bucket S3</translation>
    </message>
    <message>
        <source>SFTP server</source>
        <translation>server SFTP</translation>
    </message>
    <message>
        <source>FTPS server</source>
        <translation>server FTPS</translation>
    </message>
    <message>
        <source>rclone remote</source>
        <translation>remote rclone</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stato</translation>
    </message>
    <message>
        <source>Reachable:</source>
        <translation>Raggiungibile:</translation>
    </message>
    <message>
        <source>Backups:</source>
        <translation>Backup:</translation>
    </message>
    <message>
        <source>Stored:</source>
        <translation>Occupato:</translation>
    </message>
    <message>
        <source>Free space:</source>
        <translation>Spazio libero:</translation>
    </message>
    <message>
        <source>Locks:</source>
        <translation>Lock:</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Controlla di nuovo</translation>
    </message>
    <message>
        <source>Reading {location}…</source>
        <translation>Lettura di {location} in corso…</translation>
    </message>
    <message>
        <source>No ({kind}): {error}</source>
        <translation>No ({kind}): {error}</translation>
    </message>
    <message>
        <source>Yes ({kind}), repository {id}</source>
        <translation>Sì ({kind}), repository {id}</translation>
    </message>
    <message>
        <source>{size} in {objects} objects</source>
        <translation>{size} in {objects} oggetti</translation>
    </message>
    <message>
        <source>not known for this kind of storage</source>
        <translation>non disponibile per questo tipo di archiviazione</translation>
    </message>
    <message>
        <source>none: nobody is working on it</source>
        <translation>nessuno: nessuno ci sta lavorando</translation>
    </message>
    <message>
        <source>Stale: {why}. &apos;custode unlock&apos; removes it.</source>
        <translation>Scaduto: {why}. &apos;custode unlock&apos; lo rimuove.</translation>
    </message>
    <message>
        <source>In use: {lock}</source>
        <translation>In uso: {lock}</translation>
    </message>
    <message>
        <source>Keeps {kept} of {total} backups.</source>
        <translation>Conserva {kept} backup su {total}.</translation>
    </message>
    <message>
        <source>No backups yet: simulated one backup a day for 15 months.</source>
        <translation>Ancora nessun backup: simulato un backup al giorno per 15 mesi.</translation>
    </message>
    <message>
        <source>The next run removes the backup of {date} (kept now by: {reasons}).</source>
        <translation>La prossima esecuzione rimuove il backup del {date} (ora conservato da: {reasons}).</translation>
    </message>
    <message>
        <source>The next run removes no backup.</source>
        <translation>La prossima esecuzione non rimuove alcun backup.</translation>
    </message>
    <message>
        <source>Check the server&apos;s identity</source>
        <translation>Verificare l&apos;identità del server</translation>
    </message>
    <message>
        <source>Custode has not connected to {host} before. Compare this fingerprint with the one the server&apos;s administrator gives you (ssh-keygen -lf on the server&apos;s host key) before you trust it.</source>
        <translation>Custode non si è mai connesso a {host}. Prima di considerarlo attendibile, confrontare questa impronta con quella fornita dall&apos;amministratore del server (ssh-keygen -lf sulla chiave host del server).</translation>
    </message>
    <message>
        <source>Key type:</source>
        <translation>Tipo di chiave:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Impronta:</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>Considera attendibile e connetti</translation>
    </message>
    <message>
        <source>Server identity changed</source>
        <translation>L&apos;identità del server è cambiata</translation>
    </message>
    <message>
        <source>The host key of {host} has changed. Someone may be intercepting the connection (man-in-the-middle), so Custode will not connect. If the server&apos;s administrator confirms the new key ({fingerprint}), remove the old one from the known_hosts files and try again.</source>
        <translation>La chiave host di {host} è cambiata. Qualcuno potrebbe intercettare la connessione (man-in-the-middle), quindi Custode non si connette. Se l&apos;amministratore del server conferma la nuova chiave ({fingerprint}), rimuovere quella vecchia dai file known_hosts e riprovare.</translation>
    </message>
</context>
<context>
    <name>RestoreTarget</name>
    <message>
        <source>&amp;Target server:</source>
        <translation>Server di &amp;destinazione:</translation>
    </message>
    <message>
        <source>The server the backup is restored onto</source>
        <translation>Il server su cui viene ripristinato il backup</translation>
    </message>
    <message>
        <source>Restore each database under this name (double-click a name to change it):</source>
        <translation>Ripristinare ogni database con questo nome (doppio clic su un nome per cambiarlo):</translation>
    </message>
    <message>
        <source>Database in the backup</source>
        <translation>Database nel backup</translation>
    </message>
    <message>
        <source>Restore as</source>
        <translation>Ripristina come</translation>
    </message>
    <message>
        <source>&amp;Keep a safety copy of everything the restore replaces</source>
        <translation>&amp;Conserva una copia di sicurezza di tutto ciò che il ripristino sostituisce</translation>
    </message>
    <message>
        <source>Create the backup&apos;s &amp;users and grants that the target lacks</source>
        <translation>Crea gli &amp;utenti e i privilegi del backup che mancano sulla destinazione</translation>
    </message>
</context>
</TS>
