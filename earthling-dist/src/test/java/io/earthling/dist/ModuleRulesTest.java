package io.earthling.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of docs/architecture.md ("Layout"), checked on the compiled classes of every module. */
class ModuleRulesTest {
    private static final List<String> ROLES = List.of("manager", "assistant", "worker", "cli", "grpc", "config");
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.earthling");
    }

    @Test
    void top_level_packages_have_no_cycles() {
        slices().matching("io.earthling.(*)..").should().beFreeOfCycles()
                .check(classes);
    }

    @Test
    void no_role_reaches_into_another_roles_internal_package() {
        for (String role : ROLES) {
            noClasses().that().resideInAPackage("io.earthling." + role + "..")
                    .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
                            .resideInAnyPackage(ROLES.stream().filter(r -> !r.equals(role))
                                    .map(r -> "io.earthling." + r + ".internal..").toArray(String[]::new)))
                    .check(classes);
        }
    }

    @Test
    void only_the_manager_and_the_store_touch_the_database() {
        noClasses().that().resideOutsideOfPackages("io.earthling.manager..", "io.earthling.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "io.earthling.store..")
                .check(classes);
    }

    @Test
    void the_domain_core_does_no_io() {
        noClasses().that().resideInAPackage("io.earthling.core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.net..", "java.io..", "io.grpc..",
                        "io.earthling.store..", "io.earthling.protocol..", "io.earthling.manager..")
                .check(classes);
    }

    @Test
    void the_user_api_depends_on_nothing_of_the_implementation() {
        noClasses().that().resideInAPackage("io.earthling.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.earthling.core..", "io.earthling.store..",
                        "io.earthling.manager..", "io.earthling.assistant..", "io.earthling.worker..", "io.earthling.cli..")
                .check(classes);
    }

    private static final String MANAGER = "io.earthling.manager.internal.";

    @Test
    void the_managers_application_api_knows_no_transport() {
        noClasses().that().resideInAPackage(MANAGER + "api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "io.javalin..", MANAGER + "rpc..",
                        MANAGER + "http..")
                .check(classes);
    }

    @Test
    void the_managers_engine_does_not_depend_on_its_api_or_transports() {
        noClasses().that().resideInAnyPackage(MANAGER + "dispatch..", MANAGER + "write..", MANAGER + "intake..",
                        MANAGER + "split..", MANAGER + "schedule..", MANAGER + "leadership..", MANAGER + "retention..")
                .should().dependOnClassesThat().resideInAnyPackage(MANAGER + "api..", MANAGER + "rpc..",
                        MANAGER + "http..", "io.javalin..")
                .check(classes);
    }

    @Test
    void only_the_rpc_package_serves_grpc_for_the_manager() {
        noClasses().that().resideInAPackage("io.earthling.manager..").and().resideOutsideOfPackage(MANAGER + "rpc..")
                .should().beAssignableTo(io.grpc.BindableService.class)
                .check(classes);
    }

    @Test
    void the_managers_decisions_are_plain_objects_without_io_or_threads() {
        noClasses().that().haveFullyQualifiedName(MANAGER + "dispatch.NodeTable")
                .or().haveFullyQualifiedName(MANAGER + "dispatch.OutcomePolicy")
                .or().haveFullyQualifiedName(MANAGER + "dispatch.Reconciler")
                .or().haveFullyQualifiedName(MANAGER + "dispatch.TypeWaits")
                .or().haveFullyQualifiedName(MANAGER + "dispatch.Placement")
                .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "java.sql..", "java.net..", "java.io..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName())
                .orShould().dependOnClassesThat().haveSimpleName("JobStore")
                .check(classes);
    }
}
