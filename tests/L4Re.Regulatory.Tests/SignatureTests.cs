using System.Security.Cryptography.X509Certificates;
using L4Re.Regulatory.Regdb.Signature;

namespace L4Re.Regulatory.Tests;

public class SignatureTests
{
    private static IReadOnlyList<X509Certificate2> Wens => RegdbCertificates.LoadFile(TestData.WensCertPath);
    private static IReadOnlyList<X509Certificate2> Debian => RegdbCertificates.LoadFile(TestData.DebianCertPath);

    [Test]
    public void Upstream_signature_verifies_with_wens()
    {
        var signer = RegdbSignature.Verify(TestData.Installed(TestData.UpstreamDbPath), TestData.Installed(TestData.UpstreamSigPath), Wens);
        Assert.That(signer.Subject, Is.EqualTo("CN=wens"));
    }

    [Test]
    public void Debian_signature_verifies_with_Debians_key_and_not_with_wens()
    {
        var db = TestData.Installed(TestData.DebianDbPath);
        var sig = TestData.Installed(TestData.DebianSigPath);
        Assert.That(RegdbSignature.Verify(db, sig, Debian).Subject, Is.EqualTo("CN=benh@debian.org"));
        var e = Assert.Throws<RegulatoryDataException>(() => RegdbSignature.Verify(db, sig, Wens))!;
        Assert.That(e.DataSource, Is.EqualTo(RegulatoryDataSource.Signature));
        Assert.That(e.Message, Does.Contain("benh@debian.org"));
        Assert.Throws<RegulatoryDataException>(() =>
            RegdbSignature.Verify(TestData.Installed(TestData.UpstreamDbPath), TestData.Installed(TestData.UpstreamSigPath), Debian));
    }

    [Test]
    public void Both_keys_together_accept_both_signatures()
    {
        var both = Wens.Concat(Debian).ToArray();
        var db = TestData.Installed(TestData.UpstreamDbPath);
        Assert.That(RegdbSignature.Verify(db, TestData.Installed(TestData.UpstreamSigPath), both).Subject, Is.EqualTo("CN=wens"));
        Assert.That(RegdbSignature.Verify(db, TestData.Installed(TestData.DebianSigPath), both).Subject, Is.EqualTo("CN=benh@debian.org"));
    }

    [Test]
    public void A_required_signature_must_be_present_and_valid()
    {
        var db = TestData.Installed(TestData.UpstreamDbPath);
        var options = new RegdbLoadOptions { TrustedCertificates = Wens };
        Assert.That(RegulatoryDbLoader.Load(db, TestData.Installed(TestData.UpstreamSigPath), options).Countries, Has.Count.EqualTo(182));
        Assert.Throws<RegulatoryDataException>(() => RegulatoryDbLoader.Load(db, [], options));
        Assert.Throws<RegulatoryDataException>(() => RegulatoryDbLoader.Load(db, TestData.Installed(TestData.DebianSigPath), options));
        Assert.Throws<RegulatoryDataException>(() => RegulatoryDbLoader.Load(db, TestData.Installed(TestData.UpstreamSigPath), new RegdbLoadOptions()));
        // Without the requirement (a kernel without CONFIG_CFG80211_REQUIRE_SIGNED_REGDB) the signature is not looked at.
        Assert.That(RegulatoryDbLoader.Load(db, [], new RegdbLoadOptions { RequireSignature = false }).Countries, Has.Count.EqualTo(182));
    }

    [Test]
    public void Every_single_bit_flip_of_the_signed_database_is_refused()
    {
        var db = TestData.Installed(TestData.UpstreamDbPath);
        var sig = TestData.Installed(TestData.UpstreamSigPath);
        using var verifier = new RegdbSignatureVerifier(Wens);
        var accepted = new List<int>();
        for (var bit = 0; bit < db.Length * 8; bit++)
        {
            db[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                verifier.Verify(db, sig);
                accepted.Add(bit);
            }
            catch (RegulatoryDataException)
            {
            }
            db[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        Assert.That(accepted, Is.Empty);
        Assert.That(db.Length * 8, Is.EqualTo(51_040));
    }

    [TestCase(TestData.UpstreamSigPath, false)]
    [TestCase(TestData.DebianSigPath, true)]
    public void Every_single_bit_flip_of_the_signature_is_refused(string sigPath, bool debian)
    {
        var db = TestData.Installed(TestData.UpstreamDbPath);
        var sig = TestData.Installed(sigPath);
        using var verifier = new RegdbSignatureVerifier(debian ? Debian : Wens);
        verifier.Verify(db, sig);
        var accepted = new List<int>();
        for (var bit = 0; bit < sig.Length * 8; bit++)
        {
            sig[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                verifier.Verify(db, sig);
                accepted.Add(bit);
            }
            catch (RegulatoryDataException)
            {
            }
            sig[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        Assert.That(accepted, Is.Empty, $"accepted flips at bits {string.Join(", ", accepted.Take(20))}");
    }

    [Test]
    public void Certificates_load_from_PEM_and_DER_and_garbage_is_refused()
    {
        var der = Wens[0].RawData;
        Assert.That(RegdbCertificates.Load(der)[0].Subject, Is.EqualTo("CN=wens"));
        Assert.Throws<RegulatoryDataException>(() => RegdbCertificates.Load("not a certificate"u8));
        Assert.Throws<RegulatoryDataException>(() => RegdbCertificates.Load([]));
        Assert.Throws<RegulatoryDataException>(() => RegdbCertificates.Load("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8));
    }
}
