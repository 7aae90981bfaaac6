<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name></name>
    <message numerus="yes">
        <source>%n byte(s) of SQL</source>
        <translation>
            <numerusform>%n byte of SQL</numerusform>
            <numerusform>%n bytes of SQL</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n database(s)</source>
        <translation>
            <numerusform>%n database</numerusform>
            <numerusform>%n databases</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n job</numerusform>
            <numerusform>%n jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n table(s)</source>
        <translation>
            <numerusform>%n table</numerusform>
            <numerusform>%n tables</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>users and grants: %n account(s), created where missing</source>
        <translation>
            <numerusform>users and grants: %n account, created where missing</numerusform>
            <numerusform>users and grants: %n accounts, created where missing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n existing object(s) will be replaced; {safety}</source>
        <translation>
            <numerusform>%n existing object will be replaced; {safety}</numerusform>
            <numerusform>%n existing objects will be replaced; {safety}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replaced object(s) are kept in the database {schema} on the target. Drop it when you no longer need it.</source>
        <translation>
            <numerusform>%n replaced object is kept in the database {schema} on the target. Drop it when you no longer need it.</numerusform>
            <numerusform>%n replaced objects are kept in the database {schema} on the target. Drop it when you no longer need it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replaced object(s) were dropped (no safety copy).</source>
        <translation>
            <numerusform>%n replaced object was dropped (no safety copy).</numerusform>
            <numerusform>%n replaced objects were dropped (no safety copy).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name}…: a database name has at most %n character(s).</source>
        <translation>
            <numerusform>{name}…: a database name has at most %n character.</numerusform>
            <numerusform>{name}…: a database name has at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Use at least %n character(s).</source>
        <translation>
            <numerusform>Use at least %n character.</numerusform>
            <numerusform>Use at least %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) {hours} h</source>
        <translation>
            <numerusform>%n day {hours} h</numerusform>
            <numerusform>%n days {hours} h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n server(s)</source>
        <translation>
            <numerusform>%n server</numerusform>
            <numerusform>%n servers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n without a recent backup</source>
        <translation>
            <numerusform>%n without a recent backup</numerusform>
            <numerusform>%n without a recent backup</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not reachable</source>
        <translation>
            <numerusform>%n not reachable</numerusform>
            <numerusform>%n not reachable</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n good backup(s) in the last {days} days</source>
        <translation>
            <numerusform>%n good backup in the last {days} days</numerusform>
            <numerusform>%n good backups in the last {days} days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Repository {location}  ·  %n backup(s)</source>
        <translation>
            <numerusform>Repository {location}  ·  %n backup</numerusform>
            <numerusform>Repository {location}  ·  %n backups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n object(s)</source>
        <translation>
            <numerusform>%n object</numerusform>
            <numerusform>%n objects</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Backup {id}: %n damaged object(s) out of {objects}. This backup cannot be fully restored.</source>
        <translation>
            <numerusform>Backup {id}: %n damaged object out of {objects}. This backup cannot be fully restored.</numerusform>
            <numerusform>Backup {id}: %n damaged objects out of {objects}. This backup cannot be fully restored.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still running. Cancel and quit? (A cancelled backup leaves nothing behind.)</source>
        <translation>
            <numerusform>%n job is still running. Cancel and quit? (A cancelled backup leaves nothing behind.)</numerusform>
            <numerusform>%n jobs are still running. Cancel and quit? (A cancelled backup leaves nothing behind.)</numerusform>
        </translation>
    </message>
</context>
</TS>
