using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class Cfg80211Tests
{
    private static ChannelRules Channel(string country, int mhz) => Cfg80211.EvaluateChannel(TestDomains.Country(country), (uint)mhz * 1000);

    [Test]
    public void US_channel_169_straddles_two_adjacent_rules_and_takes_NO_IR_and_the_lower_power()
    {
        // 5835-5855 MHz: (5730 - 5850) 30 dBm AUTO-BW and (5850 - 5895) 27 dBm NO-OUTDOOR NO-IR AUTO-BW.
        var c = Channel("US", 5845);
        Assert.That(c.IsEnabled, Is.True);
        Assert.That(c.SecondRuleIndex, Is.GreaterThanOrEqualTo(0));
        Assert.That(c.Flags & (ChannelFlags.NoIr | ChannelFlags.IndoorOnly), Is.EqualTo(ChannelFlags.NoIr | ChannelFlags.IndoorOnly));
        Assert.That(c.MaxRegPowerDbm, Is.EqualTo(27));
    }

    [Test]
    public void DE_channel_144_straddles_a_DFS_rule_and_a_25_mW_rule()
    {
        // 5710-5730 MHz: (5470 - 5725) 500 mW DFS and (5725 - 5875) 25 mW = 13.97 dBm -> 13 dBm.
        var c = Channel("DE", 5720);
        Assert.That(c.IsEnabled, Is.True);
        Assert.That(c.Flags.HasFlag(ChannelFlags.Radar), Is.True);
        Assert.That(c.MaxRegPowerDbm, Is.EqualTo(13));
        Assert.That(c.MaxEirpMbm, Is.EqualTo(1397));
        Assert.That(c.MaxWidthMhz, Is.EqualTo(80), "min(160, 80) MHz of the two rules");
    }

    [Test]
    public void Straddling_rules_that_do_not_touch_disable_the_channel()
    {
        // FR: (5250 - 5350) and (5470 - 5725); channel 68 (5340: 5330-5350) fits the first, channel 96 (5480) the second,
        // but a channel at 5360 MHz straddles 5350 with nothing above.
        Assert.That(Channel("FR", 5360).IsEnabled, Is.False);
        // US has a gap 5350-5470 as well.
        Assert.That(Channel("US", 5460).IsEnabled, Is.False);
    }

    [Test]
    public void US_AUTO_BW_chains_5470_to_5895()
    {
        var us = TestDomains.Country("US");
        var idx = us.Rules.IndexOf(us.Rules.Single(r => r.StartKhz == 5_730_000));
        Assert.That(Cfg80211.GetMaxBandwidth(us, idx), Is.EqualTo(5_895_000u - 5_470_000u));
        // 5150-5350 is chained too (two AUTO-BW rules): 200 MHz, so channel 52 may be part of a 160 MHz channel.
        var idx52 = us.Rules.IndexOf(us.Rules.Single(r => r.StartKhz == 5_250_000));
        Assert.That(Cfg80211.GetMaxBandwidth(us, idx52), Is.EqualTo(200_000u));
        Assert.That(Channel("US", 5260).MaxWidthMhz, Is.EqualTo(160));
        // Without AUTO-BW the rule's own maximum applies: JP 5490-5730 @ 160.
        Assert.That(Channel("JP", 5500).MaxWidthMhz, Is.EqualTo(160));
        Assert.That(Channel("DE", 5180).MaxWidthMhz, Is.EqualTo(160), "DE 5150-5350 AUTO-BW chain is 200 MHz");
    }

    [Test]
    public void Overlapping_rules_of_the_world_domain_are_resolved_first_fit()
    {
        // 00: (2402 - 2472 @ 40) 20 dBm, then (2457 - 2482 @ 20) NO-IR AUTO-BW, then (2474 - 2494 @ 20) NO-IR NO-OFDM.
        Assert.That(Channel("00", 2462).Flags.HasFlag(ChannelFlags.NoIr), Is.False, "channel 11 fits the first rule");
        Assert.That(Channel("00", 2467).Flags.HasFlag(ChannelFlags.NoIr), Is.True, "channel 12 only fits the second");
        Assert.That(Channel("00", 2472).Flags.HasFlag(ChannelFlags.NoIr), Is.True, "channel 13");
        var ch14 = Channel("00", 2484);
        Assert.That(ch14.Flags & (ChannelFlags.NoIr | ChannelFlags.NoOfdm), Is.EqualTo(ChannelFlags.NoIr | ChannelFlags.NoOfdm));
    }

    [Test]
    public void Channel_14_is_JP_only_and_CCK_only()
    {
        var jp = Channel("JP", 2484);
        Assert.That(jp.IsEnabled, Is.True);
        Assert.That(jp.Flags.HasFlag(ChannelFlags.NoOfdm), Is.True);
        Assert.That(jp.MaxWidthMhz, Is.EqualTo(20));
        Assert.That(Channel("US", 2484).IsEnabled, Is.False);
        Assert.That(Channel("DE", 2484).IsEnabled, Is.False);
        Assert.That(ChannelDefinition.TryCreate(2_484_000, 40, 0, out _), Is.False, "channel 14 is 20 MHz only");
    }

    [Test]
    public void EIRP_is_truncated_to_whole_dBm()
    {
        Assert.That(Channel("DE", 5500).MaxRegPowerDbm, Is.EqualTo(26), "500 mW = 2698 mBm");
        Assert.That(Channel("DE", 5500).MaxEirpMbm, Is.EqualTo(2698));
        Assert.That(Channel("DE", 5180).MaxRegPowerDbm, Is.EqualTo(23), "200 mW = 2301 mBm");
        Assert.That(Channel("DE", 2412).MaxRegPowerDbm, Is.EqualTo(20), "100 mW = 2000 mBm");
    }

    [Test]
    public void Bandwidth_fit_uses_the_whole_channel()
    {
        // DE 2400-2483.5: channel 13 (2462-2482) fits, a channel at 2477 (2467-2487) does not.
        Assert.That(Channel("DE", 2472).IsEnabled, Is.True);
        Assert.That(Channel("DE", 2477).IsEnabled, Is.False);
        Assert.That(Cfg80211.DoesBandwidthFit(5_170_000, 5_250_000, 5_180_000, 20_000), Is.True);
        Assert.That(Cfg80211.DoesBandwidthFit(5_170_000, 5_250_000, 5_175_000, 20_000), Is.False);
    }

    [Test]
    public void A_rule_far_from_the_frequency_is_not_in_its_band()
    {
        var d = new RegDomain("XX", DfsRegion.Unset, [new RegRule(2_400_000, 2_500_000, 40_000, 2000)]);
        Assert.That(Cfg80211.FreqRegInfo(d, 5_180_000), Is.EqualTo(Cfg80211.NotInBand));
        Assert.That(Cfg80211.FreqRegInfo(d, 2_495_000), Is.EqualTo(Cfg80211.NoFit));
        Assert.That(Cfg80211.FreqRegInfo(d, 2_412_000), Is.EqualTo(0));
    }

    [Test]
    public void Sub_GHz_lookup_tries_narrower_bandwidths()
    {
        // US (902 - 904 @ 2): a 2 MHz S1G channel at 903 MHz fits; 20 MHz does not.
        var us = TestDomains.Country("US");
        Assert.That(Cfg80211.FreqRegInfo(us, 903_000), Is.GreaterThanOrEqualTo(0));
        var c = Cfg80211.EvaluateChannel(us, 903_000);
        Assert.That(c.IsEnabled, Is.True);
        Assert.That(c.IsUsable20Mhz, Is.False);
    }

    [Test]
    public void DFS_channels_get_the_default_CAC_time()
    {
        Assert.That(Channel("US", 5260).CacTimeMs, Is.EqualTo(60_000u));
        Assert.That(Channel("US", 5180).CacTimeMs, Is.EqualTo(0u));
    }

    [Test]
    public void Channel_numbers_map_to_frequencies_like_Linux()
    {
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(1, Band.Band2GHz), Is.EqualTo(2_412_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(14, Band.Band2GHz), Is.EqualTo(2_484_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(36, Band.Band5GHz), Is.EqualTo(5_180_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(169, Band.Band5GHz), Is.EqualTo(5_845_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(184, Band.Band5GHz), Is.EqualTo(4_920_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(1, Band.Band6GHz), Is.EqualTo(5_955_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(2, Band.Band6GHz), Is.EqualTo(5_935_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(2, Band.Band60GHz), Is.EqualTo(60_480_000u));
        Assert.That(ChannelNumbering.ChannelToFrequencyKhz(0, Band.Band5GHz), Is.EqualTo(0u));
        foreach (var band in new[] { Band.Band2GHz, Band.Band5GHz, Band.Band6GHz })
            foreach (var khz in ChannelNumbering.StandardChannels(band))
                Assert.That(ChannelNumbering.ChannelToFrequencyKhz(ChannelNumbering.FrequencyToChannel(khz), band), Is.EqualTo(khz));
    }

    [TestCase(5180, 40, 5190)]
    [TestCase(5200, 40, 5190)]
    [TestCase(5260, 80, 5290)]
    [TestCase(5320, 160, 5250)]
    [TestCase(5500, 160, 5570)]
    [TestCase(5745, 80, 5775)]
    [TestCase(5825, 80, 5855)]
    [TestCase(5745, 160, 5815)]
    [TestCase(5955, 160, 6025)]
    [TestCase(2412, 40, 2422)]
    [TestCase(2462, 40, 2452)]
    public void Channel_definitions_follow_the_channel_plan(int control, int width, int center)
    {
        Assert.That(ChannelDefinition.TryCreate((uint)control * 1000, width, 0, out var d), Is.True);
        Assert.That(d.CenterKhz, Is.EqualTo((uint)center * 1000));
        Assert.That(Enumerable.Range(0, d.SubchannelCount).Select(d.SubchannelKhz), Does.Contain((uint)control * 1000));
    }

    [TestCase(5180, 40, 5200)]
    [TestCase(5180, 80, 5180)]
    [TestCase(5180, 30, 0)]
    [TestCase(5180, 160, 5340)]
    public void Invalid_channel_definitions_are_rejected(int control, int width, int center) =>
        Assert.That(ChannelDefinition.TryCreate((uint)control * 1000, width, (uint)center * 1000, out _), Is.False);
}
