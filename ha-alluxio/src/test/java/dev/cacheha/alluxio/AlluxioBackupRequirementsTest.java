package dev.cacheha.alluxio;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.testkit.BackupRequirements;

/** The Alluxio provider meets the kit's backup, restore and rebuild requirements. */
class AlluxioBackupRequirementsTest extends BackupRequirements {

    @Override
    protected HighAvailabilityProvider provider() {
        return new AlluxioHighAvailabilityProvider();
    }
}
