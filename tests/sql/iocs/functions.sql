-- extract_iocs(), ioc_refang(), ioc_type(), ip_class(): the examples of
-- docs/extract_iocs.md, NULLs, empty text, the types filter and every error.
.mode list
select extract_iocs('Beacon to hxxp://evil[.]com/a (C2 45[.]77[.]65[.]211)');
select extract_iocs('1.2.3.4 and evil.com', 'ipv4');
select extract_iocs('1.2.3.4 and evil.com', ' Domain , IPV4 ');
select quote(extract_iocs(NULL)), extract_iocs(''), extract_iocs('nothing here'), extract_iocs('1.2.3.4', NULL);
select extract_iocs('x', 'ipv5');
select extract_iocs('x', '');
-- JSON is valid whatever the bytes: invalid UTF-8 around a match.
select json_valid(extract_iocs(x'FF312E322E332E34C0')), json_extract(extract_iocs(x'FF312E322E332E34C0'), '$[0].raw');
select json_extract(value, '$.type'), json_extract(value, '$.value'), json_extract(value, '$.defanged')
  from json_each(extract_iocs('mail admin[at]evil[.]ru or see CVE-2021-26855'));
select ioc_refang('hxxp://evil[.]com'), ioc_refang('user[at]x(.)org'), ioc_refang('evil dot com'), quote(ioc_refang(NULL));
select ioc_type('1.2.3.4'), ioc_type(' 2001:db8::1 '), ioc_type('hxxps://evil[.]com/x'), ioc_type('evil[.]com'),
       ioc_type('81ed03caf6901e444c72ac67d192fb9c'), ioc_type('C:\Windows\x.exe'), ioc_type('HKCU\Software\x'),
       ioc_type('/etc/passwd'), ioc_type('a@b.com'), ioc_type('CVE-2021-26855');
select quote(ioc_type('1.2.3.4 5.6.7.8')), quote(ioc_type('setup.py')), quote(ioc_type('')), quote(ioc_type(NULL));
select ip_class('8.8.8.8'), ip_class('10.1.2.3'), ip_class('127.0.0.1'), ip_class('169.254.1.1'), ip_class('224.0.0.1'),
       ip_class('240.0.0.1'), ip_class('100.64.1.1'), ip_class('192.0.2.1'), ip_class('0.0.0.0');
select ip_class('2606:4700::1111'), ip_class('fd00::1'), ip_class('::1'), ip_class('fe80::1'), ip_class('ff02::1'),
       ip_class('2001:db8::1'), ip_class('::'), ip_class('::ffff:10.0.0.1');
select quote(ip_class('010.1.1.1')), quote(ip_class('1.2.3.256')), quote(ip_class('evil.com')), quote(ip_class(NULL)),
       quote(ip_class(' 8.8.8.8'));
-- 50 MB in one value: the indicator at its end is found, with its byte offsets.
select extract_iocs(replace(hex(zeroblob(25000000)), '0', 'x') || ' 8.8.8.8');
