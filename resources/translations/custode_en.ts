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
</context>
</TS>
