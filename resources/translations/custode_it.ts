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
        <source>A repository is a folder that holds encrypted backups. Choose an empty folder for a new one, or open one you already have.</source>
        <translation>Un repository è una cartella che contiene backup cifrati. Scegliere una cartella vuota per crearne uno nuovo, oppure aprirne uno esistente.</translation>
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
        <source>Settings saved.</source>
        <translation>Impostazioni salvate.</translation>
    </message>
    <message>
        <source>The new language shows from the next start (something is running now).</source>
        <translation>La nuova lingua sarà visibile dal prossimo avvio (ora c&apos;è un&apos;attività in corso).</translation>
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
